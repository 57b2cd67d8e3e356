package io.dnssecproxy.conformance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRSIGRecord;
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
 *       ranked instead: entries whose RANGE covers the current step first (others act as the
 *       recursive resolver's cache); end results (answers, NXDOMAIN, NODATA) over referrals over
 *       errors; for DS, the parent side (the DS RRset, a denial signed above the name, a DS
 *       RRset or no-DS proof taken from a referral, or a matching NSEC/NSEC3 found elsewhere in
 *       the scenario) over the child's own NODATA; then how tightly MATCH fits (qname+qtype,
 *       qname, subdomain, anything); then the server whose zone is closest to the name; then
 *       file order.
 * </ol>
 *
 * <p>Like a recursive resolver it follows CNAME/DNAME chains into other entries and returns
 * the whole chain (authority sections merged so every link's proofs are present), places each
 * RRSIG next to the RRset it covers, never passes on referrals or server errors (the client
 * gets SERVFAIL), never sets AD, and includes DNSSEC records only for DO queries.
 */
final class ReplayAnswerer {

  private static final int MAX_CHAIN_LINKS = 12;

  private final List<ReplaySource> sources = new ArrayList<>();
  private final DelegationWalk walk;
  private final List<String> trace = Collections.synchronizedList(new ArrayList<>());
  private final List<String> gaps = Collections.synchronizedList(new ArrayList<>());
  private volatile int currentStep;

  ReplayAnswerer(RplScenario scenario) {
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
    Reply reply = resolve(question.getName(), question.getType()).signaturesBesideRRsets();
    if (reply.gap) {
      gaps.add(question.getName() + "/" + Type.string(question.getType()) + " (" + reply.origin
          + ")");
    }
    trace.add("step " + currentStep + ": " + question.getName() + "/"
        + Type.string(question.getType()) + " -> " + Rcode.string(reply.rcode) + " from "
        + reply.origin);
    response.getHeader().setRcode(reply.rcode);
    boolean dnssec = DnsWire.hasDo(query);
    addSection(response, Section.ANSWER, reply.answer, question.getType(), dnssec);
    addSection(response, Section.AUTHORITY, reply.authority, question.getType(), dnssec);
    addSection(response, Section.ADDITIONAL, reply.additional, question.getType(), dnssec);
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

  private Reply resolve(Name qname, int qtype) {
    Reply reply = resolveOne(qname, qtype);
    if (reply.kind() == EntryKind.ANSWER && qtype != Type.CNAME && qtype != Type.ANY
        && qtype != Type.RRSIG) {
      reply = followChain(qname, qtype, reply);
    }
    return reply;
  }

  /** One question, no alias chasing: the walk's end result, else the best-ranked entry. */
  private Reply resolveOne(Name qname, int qtype) {
    DelegationWalk.End end = walk.walk(qname, qtype, currentStep);
    Reply walked = fromWalk(end, qname, qtype);
    if (walked != null) {
      return walked;
    }
    Candidate best = ranked(qname, qtype);
    if (best != null && best.kind.isFinal()) {
      return best.reply.from("ranked: " + best.reply.origin);
    }
    if (end != null && end.kind() == EntryKind.ERROR) {
      // The server the iteration leads to fails, and nothing else answers: so does the
      // recursive resolver. That is the scenario's intent, not a gap in it.
      return new Reply(Rcode.SERVFAIL, Set.of(), Set.of(), Set.of(), end.path()
          + ": server error at " + end.source().entry().location(), EntryKind.ERROR, false);
    }
    if (best == null) {
      return Reply.failure("no matching entry");
    }
    return Reply.failure("only a " + best.kind.name().toLowerCase() + " at "
        + best.reply.origin);
  }

  /** The walk's end as a usable reply, or null (no end, a server error, a dead-end DS). */
  private static Reply fromWalk(DelegationWalk.End end, Name qname, int qtype) {
    if (end == null) {
      return null;
    }
    RplEntry e = end.source().entry();
    Reply reply = Reply.of(e, end.kind());
    if (reply.kind().isFinal()) {
      return reply.from(end.path() + ": " + e.location());
    }
    if (qtype == Type.DS && reply.kind() == EntryKind.REFERRAL) {
      Reply ds = dsFromReferral(e, qname);
      return ds == null ? null : ds.from(end.path() + ": " + ds.origin);
    }
    return null;
  }

  private Candidate ranked(Name qname, int qtype) {
    boolean ds = qtype == Type.DS;
    List<Candidate> candidates = new ArrayList<>();
    for (ReplaySource source : sources) {
      int closeness = source.zones().closeness(qname, ds);
      boolean inRange = source.range().covers(currentStep);
      int specificity = specificity(source.entry(), qname, qtype);
      if (specificity >= 0) {
        Reply reply = Reply.of(source.entry(), EntryKind.of(source.entry(),
            source.zones().closeness(qname, false)));
        candidates.add(new Candidate(source, reply, reply.kind(),
            ds ? dsSide(source.entry(), qname) : 0, specificity, closeness, inRange));
      }
      if (!ds || !understood(source.entry())) {
        continue;
      }
      Reply fromReferral = dsFromReferral(source.entry(), qname);
      if (fromReferral != null) {
        candidates.add(new Candidate(source, fromReferral, fromReferral.kind(), 2, 0,
            closeness, inRange));
      }
      Set<Record> proof = DsDenialFinder.proofFor(source.entry(), qname);
      if (!proof.isEmpty()) {
        Reply denial = new Reply(Rcode.NOERROR, Set.of(), proof, Set.of(),
            "no-DS proof found at " + source.entry().location());
        candidates.add(new Candidate(source, denial, denial.kind(), 2, -1, closeness,
            inRange));
      }
    }
    return candidates.stream().min(PREFERENCE).orElse(null);
  }

  private static final Comparator<Candidate> PREFERENCE =
      Comparator.<Candidate, Boolean>comparing(c -> !c.inRange)
          .thenComparing(c -> -c.kind.rank)
          .thenComparing(c -> -c.dsSide)
          .thenComparing(c -> -c.specificity)
          .thenComparing(c -> -c.closeness)
          .thenComparing(c -> c.source.order());

  /** Entries whose MATCH needs things the harness cannot see are never used. */
  private static boolean understood(RplEntry e) {
    return e.question() != null && DelegationWalk.UNDERSTOOD_MATCH.containsAll(e.match());
  }

  /** How tightly the MATCH line fits, higher is tighter; -1 when it does not match. */
  private static int specificity(RplEntry e, Name qname, int qtype) {
    if (!DelegationWalk.matches(e, qname, qtype)) {
      return -1;
    }
    int score = 0;
    if (e.match().contains("qname")) {
      score += 300;
    } else if (e.match().contains("subdomain")) {
      score += 100 + e.qname().labels();
    }
    if (e.match().contains("qtype")) {
      score += 50;
    }
    return score;
  }

  /**
   * For a DS question, 2 when the entry is the parent side (it holds the DS RRset, or denies
   * it with an SOA above the name), 0 when it is the child apex's own answer (SOA at the
   * name), 1 when it cannot tell.
   */
  private static int dsSide(RplEntry e, Name qname) {
    boolean hasDs = e.section(Section.ANSWER).stream()
        .anyMatch(r -> r.getType() == Type.DS && r.getName().equals(qname));
    if (hasDs) {
      return 2;
    }
    for (Record r : e.section(Section.AUTHORITY)) {
      if (r.getType() == Type.SOA) {
        return r.getName().equals(qname) ? 0 : qname.subdomain(r.getName()) ? 2 : 1;
      }
    }
    return 1;
  }

  /**
   * The answer a parent server gives to "qname DS" when all the scenario has is a referral to
   * qname: the DS RRset (with its signatures) from the referral's authority section, or, for
   * an unsigned delegation, NODATA carrying the referral's NSEC/NSEC3 proof. Null when the
   * entry is not such a referral.
   */
  private static Reply dsFromReferral(RplEntry e, Name qname) {
    List<Record> authority = e.section(Section.AUTHORITY);
    Set<Record> ds = new LinkedHashSet<>();
    boolean delegates = false;
    for (Record r : authority) {
      if (r.getName().equals(qname) && (r.getType() == Type.DS || coversType(r, Type.DS))) {
        ds.add(r);
      }
      delegates |= r.getType() == Type.NS && r.getName().equals(qname);
    }
    if (ds.stream().anyMatch(r -> r.getType() == Type.DS)) {
      return new Reply(Rcode.NOERROR, ds, Set.of(), Set.of(),
          "DS from referral at " + e.location());
    }
    if (!delegates) {
      return null;
    }
    Set<Record> proof = new LinkedHashSet<>();
    for (Record r : authority) {
      if (r.getType() == Type.NSEC || r.getType() == Type.NSEC3
          || coversType(r, Type.NSEC) || coversType(r, Type.NSEC3)) {
        proof.add(r);
      }
    }
    if (proof.isEmpty()) {
      return null;
    }
    return new Reply(Rcode.NOERROR, Set.of(), proof, Set.of(),
        "no-DS proof from referral at " + e.location());
  }

  private static boolean coversType(Record r, int type) {
    return r instanceof RRSIGRecord sig && sig.getTypeCovered() == type;
  }

  /**
   * Completes an answer that ends in a CNAME/DNAME pointing at a name it has no data for, by
   * appending what the scenario answers for that name (as a recursive resolver would). An
   * answer that already carries an SOA has its negative end already, even if its rcode
   * belongs to the first link.
   */
  private Reply followChain(Name qname, int qtype, Reply start) {
    Reply chain = start;
    Set<Name> visited = new HashSet<>();
    visited.add(qname);
    for (int i = 0; i < MAX_CHAIN_LINKS; i++) {
      if (chain.authority.stream().anyMatch(r -> r.getType() == Type.SOA)) {
        break;
      }
      Name target = danglingTarget(chain.answer, qname, qtype);
      if (target == null || !visited.add(target)) {
        break;
      }
      Reply next = resolveOne(target, qtype);
      if (!next.kind().isFinal()) {
        break;
      }
      chain = chain.append(next);
    }
    return chain;
  }

  /**
   * Follows CNAMEs and DNAMEs within the answer from {@code start}; returns the name reached
   * when it has no {@code qtype} data in the answer, or null when there is nothing to chase
   * (no alias, data present, or a loop).
   */
  private static Name danglingTarget(Set<Record> answer, Name start, int qtype) {
    Name current = start;
    Set<Name> seen = new HashSet<>();
    boolean aliased = false;
    while (seen.add(current)) {
      Name here = current;
      if (answer.stream().anyMatch(r -> r.getName().equals(here) && r.getType() == qtype)) {
        return null;
      }
      Name next = null;
      for (Record r : answer) {
        if (r instanceof CNAMERecord cname && cname.getName().equals(here)) {
          next = cname.getTarget();
          break;
        }
      }
      if (next == null) {
        for (Record r : answer) {
          // A DNAME rewrites names below its owner, never the owner itself.
          if (r instanceof DNAMERecord dname && here.subdomain(dname.getName())
              && !here.equals(dname.getName())) {
            try {
              next = here.fromDNAME(dname);
            } catch (NameTooLongException e) {
              return null;
            }
            break;
          }
        }
      }
      if (next == null) {
        return aliased ? current : null;
      }
      aliased = true;
      current = next;
    }
    return null;
  }

  // --- value types ---

  private record Candidate(ReplaySource source, Reply reply, EntryKind kind, int dsSide,
      int specificity, int closeness, boolean inRange) {}

  /** An answer in the making: rcode and sections, deduplicated (Record equality skips TTL). */
  private record Reply(int rcode, Set<Record> answer, Set<Record> authority,
      Set<Record> additional, String origin, EntryKind kind, boolean gap) {

    /** A reply whose kind follows from its content. */
    Reply(int rcode, Set<Record> answer, Set<Record> authority, Set<Record> additional,
        String origin) {
      this(rcode, answer, authority, additional, origin,
          EntryKind.of(rcode, List.copyOf(answer), List.copyOf(authority)), false);
    }

    static Reply of(RplEntry e, EntryKind kind) {
      return new Reply(e.rcode(), new LinkedHashSet<>(e.section(Section.ANSWER)),
          new LinkedHashSet<>(e.section(Section.AUTHORITY)),
          new LinkedHashSet<>(e.section(Section.ADDITIONAL)), e.location(), kind, false);
    }

    static Reply failure(String why) {
      return new Reply(Rcode.SERVFAIL, Set.of(), Set.of(), Set.of(), why, EntryKind.ERROR,
          true);
    }

    Reply from(String newOrigin) {
      return new Reply(rcode, answer, authority, additional, newOrigin, kind, gap);
    }

    /**
     * This chain followed by the next link: answers concatenated, authority merged (the
     * earlier links' NS records dropped, their proofs kept), rcode and additional from the
     * last link.
     */
    Reply append(Reply next) {
      Set<Record> mergedAnswer = new LinkedHashSet<>(answer);
      mergedAnswer.addAll(next.answer);
      Set<Record> mergedAuthority = new LinkedHashSet<>();
      for (Record r : authority) {
        if (r.getType() != Type.NS && !coversType(r, Type.NS)) {
          mergedAuthority.add(r);
        }
      }
      mergedAuthority.addAll(next.authority);
      return new Reply(next.rcode, mergedAnswer, mergedAuthority,
          new LinkedHashSet<>(next.additional), origin + " + " + next.origin, next.kind.isFinal()
          && !mergedAnswer.isEmpty() ? EntryKind.ANSWER : next.kind, false);
    }

    /**
     * The same records with every RRSIG in the section of the RRset it covers. A recursive
     * resolver rebuilds answers from its cache that way, whatever section an authoritative
     * server (or a scenario author) put a signature in.
     */
    Reply signaturesBesideRRsets() {
      List<Set<Record>> sections = List.of(new LinkedHashSet<>(answer),
          new LinkedHashSet<>(authority), new LinkedHashSet<>(additional));
      for (int from = 0; from < 3; from++) {
        for (Record r : List.copyOf(sections.get(from))) {
          if (!(r instanceof RRSIGRecord sig) || holdsCovered(sections.get(from), sig)) {
            continue;
          }
          for (int to = 0; to < 3; to++) {
            if (to != from && holdsCovered(sections.get(to), sig)) {
              sections.get(from).remove(sig);
              sections.get(to).add(sig);
              break;
            }
          }
        }
      }
      return new Reply(rcode, sections.get(0), sections.get(1), sections.get(2), origin, kind,
          gap);
    }

    private static boolean holdsCovered(Set<Record> section, RRSIGRecord sig) {
      return section.stream().anyMatch(r -> r.getName().equals(sig.getName())
          && r.getType() == sig.getTypeCovered());
    }
  }
}
