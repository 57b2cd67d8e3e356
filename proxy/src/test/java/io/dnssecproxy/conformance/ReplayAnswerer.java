package io.dnssecproxy.conformance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers questions the way the recursive resolver behind a forwarder would, using the canned
 * answers of the authoritative servers in a scenario.
 *
 * <p>The entries were written for an iterating resolver talking to each server in turn; a
 * forwarder instead asks one recursive resolver and expects end results. So for each question
 * the entry an iterating resolver would have ended with is used:
 *
 * <ol>
 *   <li>First the iteration itself is replayed ({@link DelegationWalk}): from the configured
 *       root/stub/forward server down the referrals, first matching entry per server, DS asked
 *       of the parent.
 *   <li>When that walk gets stuck (the scenario relied on unbound's cache, say) all entries are
 *       ranked instead ({@link EntryRanking}), preferring the parent side for DS
 *       ({@link ParentSideDs}).
 * </ol>
 *
 * <p>Like a recursive resolver it follows CNAME/DNAME chains into other entries and returns
 * the whole chain (authority sections merged so every link's proofs are present), places each
 * RRSIG next to the RRset it covers, never passes on referrals or server errors (the client
 * gets SERVFAIL), never sets AD, and includes DNSSEC records only for DO queries.
 */
final class ReplayAnswerer {

  private static final int MAX_CHAIN_LINKS = 12;

  private final DelegationWalk walk;
  private final EntryRanking ranking;
  private final List<String> trace = Collections.synchronizedList(new ArrayList<>());
  private final List<String> gaps = Collections.synchronizedList(new ArrayList<>());
  private volatile int currentStep;

  ReplayAnswerer(RplScenario scenario) {
    List<ReplaySource> sources = new ArrayList<>();
    int order = 0;
    for (RplRange range : scenario.ranges()) {
      ServerZones zones = new ServerZones(range);
      for (RplEntry entry : range.entries()) {
        sources.add(new ReplaySource(entry, range, zones, order++));
      }
    }
    // STEP n REPLY entries are answers testbound injects from step n on.
    for (RplStep step : scenario.stepsOfKind(RplStep.REPLY).toList()) {
      RplRange injected = new RplRange(step.number(), Integer.MAX_VALUE,
          List.of("STEP " + step.number() + " REPLY"), List.of(step.entry()));
      sources.add(new ReplaySource(step.entry(), injected, new ServerZones(), order++));
    }
    walk = new DelegationWalk(scenario, sources);
    ranking = new EntryRanking(sources);
  }

  /** Which step the scenario is at; decides which RANGEs are preferred. */
  void setCurrentStep(int step) {
    this.currentStep = step;
  }

  /**
   * Questions the scenario had no end result for (answered SERVFAIL by the harness itself).
   * Worth a look when a scenario expecting SERVFAIL passes: it may pass for the wrong reason.
   */
  List<String> gaps() {
    synchronized (gaps) {
      return List.copyOf(gaps);
    }
  }

  /** One line per question answered, naming the entries used; for failure reports. */
  List<String> trace() {
    synchronized (trace) {
      return List.copyOf(trace);
    }
  }

  Message answer(Message query) {
    Message response = DnsWire.responseSkeleton(query);
    response.getHeader().setFlag(Flags.RA);
    Record question = query.getQuestion();
    if (question == null || query.getHeader().getOpcode() != Opcode.QUERY) {
      response.getHeader().setRcode(Rcode.NOTIMP);
      return response;
    }
    ReplayReply reply = resolve(question.getName(), question.getType()).signaturesBesideRRsets();
    if (reply.gap()) {
      gaps.add(question.getName() + "/" + Type.string(question.getType()) + " (" + reply.origin()
          + ")");
    }
    trace.add("step " + currentStep + ": " + question.getName() + "/"
        + Type.string(question.getType()) + " -> " + Rcode.string(reply.rcode()) + " from "
        + reply.origin());
    response.getHeader().setRcode(reply.rcode());
    boolean dnssec = DnsWire.hasDo(query);
    addSection(response, Section.ANSWER, reply.answer(), question.getType(), dnssec);
    addSection(response, Section.AUTHORITY, reply.authority(), question.getType(), dnssec);
    addSection(response, Section.ADDITIONAL, reply.additional(), question.getType(), dnssec);
    return response;
  }

  private static void addSection(
      Message m, int section, Set<Record> records, int qtype, boolean dnssec) {
    for (Record r : records) {
      if (r.getType() == Type.OPT) {
        continue;
      }
      // RFC 3225: without DO, DNSSEC records are left out unless explicitly asked for.
      boolean dnssecType = r.getType() == Type.RRSIG || r.getType() == Type.NSEC
          || r.getType() == Type.NSEC3;
      if (!dnssec && dnssecType && r.getType() != qtype) {
        continue;
      }
      m.addRecord(r, section);
    }
  }

  // --- resolution ---

  private ReplayReply resolve(Name qname, int qtype) {
    ReplayReply reply = resolveOne(qname, qtype);
    if (reply.kind() == EntryKind.ANSWER && qtype != Type.CNAME && qtype != Type.ANY
        && qtype != Type.RRSIG) {
      reply = followChain(qname, qtype, reply);
    }
    return reply;
  }

  /** One question, no alias chasing: the walk's end result, else the best-ranked entry. */
  private ReplayReply resolveOne(Name qname, int qtype) {
    DelegationWalk.End end = walk.walk(qname, qtype, currentStep);
    ReplayReply walked = fromWalk(end, qname, qtype);
    if (walked != null) {
      return walked;
    }
    ReplayReply best = ranking.best(qname, qtype, currentStep);
    if (best != null && best.kind().isFinal()) {
      return best.from("ranked: " + best.origin());
    }
    if (end != null && end.kind() == EntryKind.ERROR) {
      // The server the iteration leads to fails, and nothing else answers: so does the
      // recursive resolver. That is the scenario's intent, not a gap in it.
      return ReplayReply.serverFailure(end.path() + ": server error at "
          + end.source().entry().location());
    }
    if (best == null) {
      return ReplayReply.gap("no matching entry");
    }
    return ReplayReply.gap("only a " + best.kind().name().toLowerCase(Locale.ROOT) + " at "
        + best.origin());
  }

  /** The walk's end as a usable reply, or null (no end, a server error, a dead-end DS). */
  private static ReplayReply fromWalk(DelegationWalk.End end, Name qname, int qtype) {
    if (end == null) {
      return null;
    }
    RplEntry e = end.source().entry();
    ReplayReply reply = ReplayReply.of(e, end.kind());
    if (reply.kind().isFinal()) {
      return reply.from(end.path() + ": " + e.location());
    }
    if (qtype == Type.DS && reply.kind() == EntryKind.REFERRAL) {
      ReplayReply ds = ParentSideDs.fromReferral(e, qname);
      return ds == null ? null : ds.from(end.path() + ": " + ds.origin());
    }
    return null;
  }

  /**
   * Completes an answer that ends in a CNAME/DNAME pointing at a name it has no data for, by
   * appending what the scenario answers for that name (as a recursive resolver would). An
   * answer that already carries an SOA has its negative end already, even if its rcode
   * belongs to the first link.
   */
  private ReplayReply followChain(Name qname, int qtype, ReplayReply start) {
    ReplayReply chain = start;
    Set<Name> visited = new HashSet<>();
    visited.add(qname);
    for (int i = 0; i < MAX_CHAIN_LINKS; i++) {
      if (chain.authority().stream().anyMatch(r -> r.getType() == Type.SOA)) {
        break;
      }
      Name target = AliasTarget.dangling(chain.answer(), qname, qtype);
      if (target == null || !visited.add(target)) {
        break;
      }
      ReplayReply next = resolveOne(target, qtype);
      if (!next.kind().isFinal()) {
        break;
      }
      chain = chain.append(next);
    }
    return chain;
  }
}
