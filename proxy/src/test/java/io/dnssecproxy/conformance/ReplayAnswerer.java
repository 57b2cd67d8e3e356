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
 * <p>The scenario's entries were written for an iterating resolver talking to each server in
 * turn; a forwarder instead asks one recursive resolver and expects end results. So for each
 * question the entry an iterating resolver would have ended with is picked, by (in order of
 * importance):
 *
 * <ol>
 *   <li>the entry's RANGE covers the current step (answers that vary over time); entries of
 *       other ranges remain a fallback, like the recursive resolver's cache;
 *   <li>end results (answers, NXDOMAIN, NODATA) over referrals over errors;
 *   <li>for DS only, the parent side of the delegation: an entry with the DS RRset, or a denial
 *       signed above the name, beats the child's own NODATA (whose SOA is at the name) &mdash;
 *       including a DS answer synthesised from a referral that carries the DS RRset (or the
 *       NSEC/NSEC3 proof that there is none) in its authority section;
 *   <li>how specifically the MATCH line fits (qname and qtype, qname, subdomain, anything);
 *   <li>the server whose zone is closest to the name (for DS: closest strictly above it);
 *   <li>file order.
 * </ol>
 *
 * <p>Like a recursive resolver, it follows CNAME/DNAME chains to other entries and returns the
 * whole chain (the authority sections are merged, so wildcard and denial proofs of every link
 * are present). Referrals and errors are never passed on: the client gets SERVFAIL, as it would
 * from a resolver that could not finish. Entries whose MATCH needs something the harness cannot
 * see are ignored. AD is never set; DNSSEC records are only included for DO queries.
 */
final class ReplayAnswerer {

  private static final Set<String> UNDERSTOOD_MATCH =
      Set.of("opcode", "qtype", "qname", "subdomain");
  private static final int MAX_CHAIN_LINKS = 12;

  private final List<Source> sources = new ArrayList<>();
  private final List<String> trace = Collections.synchronizedList(new ArrayList<>());
  private volatile int currentStep;

  ReplayAnswerer(RplScenario scenario) {
    int order = 0;
    for (RplRange range : scenario.ranges()) {
      ServerZones zones = new ServerZones(range);
      for (RplEntry entry : range.entries()) {
        sources.add(new Source(entry, range, zones, order++));
      }
    }
    // STEP n REPLY entries are answers testbound injects from step n on.
    for (RplStep step : scenario.stepsOfKind(RplStep.REPLY).toList()) {
      RplRange injected = new RplRange(step.number(), Integer.MAX_VALUE,
          List.of("STEP " + step.number() + " REPLY"), List.of(step.entry()));
      sources.add(new Source(step.entry(), injected, new ServerZones(), order++));
    }
  }

  /** Which step the scenario is at; decides which RANGEs are preferred. */
  void setCurrentStep(int step) {
    this.currentStep = step;
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
    Reply reply = resolve(question.getName(), question.getType());
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
    Candidate best = best(qname, qtype);
    if (best == null) {
      return Reply.failure("no matching entry");
    }
    if (!best.kind.isFinal()) {
      return Reply.failure("only a " + best.kind.name().toLowerCase() + " at "
          + best.reply.origin);
    }
    Reply reply = best.reply;
    if (best.kind == EntryKind.ANSWER && followsAliases(qtype)) {
      reply = followChain(qname, qtype, reply);
    }
    return reply;
  }

  private static boolean followsAliases(int qtype) {
    return qtype != Type.CNAME && qtype != Type.DNAME && qtype != Type.ANY
        && qtype != Type.RRSIG;
  }

  private Candidate best(Name qname, int qtype) {
    List<Candidate> candidates = new ArrayList<>();
    for (Source source : sources) {
      int specificity = specificity(source.entry, qname, qtype);
      if (specificity < 0) {
        continue;
      }
      Reply reply = Reply.of(source.entry);
      candidates.add(new Candidate(source, reply, reply.kind(),
          qtype == Type.DS ? dsSide(source.entry, qname) : 0, specificity,
          source.zones.closeness(qname, qtype == Type.DS),
          source.range.covers(currentStep)));
    }
    if (qtype == Type.DS) {
      for (Source source : sources) {
        if (!UNDERSTOOD_MATCH.containsAll(source.entry.match())) {
          continue;
        }
        Reply synthesized = dsFromReferral(source.entry, qname);
        if (synthesized != null) {
          candidates.add(new Candidate(source, synthesized, synthesized.kind(), 2, 0,
              source.zones.closeness(qname, true), source.range.covers(currentStep)));
        }
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
          .thenComparing(c -> c.source.order);

  /** How well the MATCH line fits, higher is tighter; -1 when it does not match. */
  private static int specificity(RplEntry e, Name qname, int qtype) {
    Set<String> match = e.match();
    if (e.question() == null || !UNDERSTOOD_MATCH.containsAll(match)) {
      return -1;
    }
    int score = 0;
    if (match.contains("qname")) {
      if (!qname.equals(e.qname())) {
        return -1;
      }
      score += 300;
    } else if (match.contains("subdomain")) {
      if (!qname.subdomain(e.qname())) {
        return -1;
      }
      score += 100 + e.qname().labels();
    }
    if (match.contains("qtype")) {
      if (qtype != e.qtype()) {
        return -1;
      }
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
   * appending what the scenario answers for that name (as a recursive resolver would).
   */
  private Reply followChain(Name qname, int qtype, Reply start) {
    Reply chain = start;
    Set<Name> visited = new HashSet<>();
    visited.add(qname);
    for (int i = 0; i < MAX_CHAIN_LINKS; i++) {
      boolean alreadyNegative = chain.rcode != Rcode.NOERROR
          || chain.authority.stream().anyMatch(r -> r.getType() == Type.SOA);
      if (alreadyNegative) {
        break;
      }
      Name target = danglingTarget(chain.answer, qname, qtype);
      if (target == null || !visited.add(target)) {
        break;
      }
      Candidate next = best(target, qtype);
      if (next == null || !next.kind.isFinal()) {
        break;
      }
      chain = chain.append(next.reply);
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

  private record Source(RplEntry entry, RplRange range, ServerZones zones, int order) {}

  private record Candidate(Source source, Reply reply, EntryKind kind, int dsSide,
      int specificity, int closeness, boolean inRange) {}

  /** An answer in the making: rcode and sections, deduplicated (Record equality skips TTL). */
  private record Reply(int rcode, Set<Record> answer, Set<Record> authority,
      Set<Record> additional, String origin) {

    static Reply of(RplEntry e) {
      return new Reply(e.rcode(), new LinkedHashSet<>(e.section(Section.ANSWER)),
          new LinkedHashSet<>(e.section(Section.AUTHORITY)),
          new LinkedHashSet<>(e.section(Section.ADDITIONAL)), e.location());
    }

    static Reply failure(String why) {
      return new Reply(Rcode.SERVFAIL, Set.of(), Set.of(), Set.of(), why);
    }

    EntryKind kind() {
      return EntryKind.of(rcode, List.copyOf(answer), List.copyOf(authority));
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
          new LinkedHashSet<>(next.additional), origin + " + " + next.origin);
    }
  }
}
