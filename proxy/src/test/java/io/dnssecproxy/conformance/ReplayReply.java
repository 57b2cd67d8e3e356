package io.dnssecproxy.conformance;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A replay upstream answer in the making: rcode and sections (deduplicated; dnsjava's record
 * equality leaves TTLs out), where it came from (for traces), what kind of answer it is, and
 * whether it is the harness's own SERVFAIL for a question the scenario does not answer.
 */
record ReplayReply(int rcode, Set<Record> answer, Set<Record> authority,
    Set<Record> additional, String origin, EntryKind kind, boolean gap) {

  /** A reply whose kind follows from its content. */
  ReplayReply(int rcode, Set<Record> answer, Set<Record> authority, Set<Record> additional,
      String origin) {
    this(rcode, answer, authority, additional, origin,
        EntryKind.of(rcode, List.copyOf(answer), List.copyOf(authority)), false);
  }

  static ReplayReply of(RplEntry e, EntryKind kind) {
    return new ReplayReply(e.rcode(), new LinkedHashSet<>(e.section(Section.ANSWER)),
        new LinkedHashSet<>(e.section(Section.AUTHORITY)),
        new LinkedHashSet<>(e.section(Section.ADDITIONAL)), e.location(), kind, false);
  }

  /** The harness has nothing for this question: SERVFAIL, marked as a gap. */
  static ReplayReply gap(String why) {
    return new ReplayReply(Rcode.SERVFAIL, Set.of(), Set.of(), Set.of(), why, EntryKind.ERROR,
        true);
  }

  /** The scenario's server fails: SERVFAIL, as the recursive resolver would say. */
  static ReplayReply serverFailure(String where) {
    return new ReplayReply(Rcode.SERVFAIL, Set.of(), Set.of(), Set.of(), where,
        EntryKind.ERROR, false);
  }

  ReplayReply from(String newOrigin) {
    return new ReplayReply(rcode, answer, authority, additional, newOrigin, kind, gap);
  }

  /**
   * This chain followed by the next link: answers concatenated, authority merged (the
   * earlier links' NS records dropped, their proofs kept), rcode and additional from the
   * last link.
   */
  ReplayReply append(ReplayReply next) {
    Set<Record> mergedAnswer = new LinkedHashSet<>(answer);
    mergedAnswer.addAll(next.answer);
    Set<Record> mergedAuthority = new LinkedHashSet<>();
    for (Record r : authority) {
      if (r.getType() != Type.NS && !coversType(r, Type.NS)) {
        mergedAuthority.add(r);
      }
    }
    mergedAuthority.addAll(next.authority);
    EntryKind chainKind = next.kind.isFinal() ? EntryKind.ANSWER : next.kind;
    return new ReplayReply(next.rcode, mergedAnswer, mergedAuthority,
        new LinkedHashSet<>(next.additional), origin + " + " + next.origin, chainKind, false);
  }

  /**
   * The same records with every RRSIG in the section of the RRset it covers. A recursive
   * resolver rebuilds answers from its cache that way, whatever section an authoritative
   * server (or a scenario author) put a signature in.
   */
  ReplayReply signaturesBesideRRsets() {
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
    return new ReplayReply(rcode, sections.get(0), sections.get(1), sections.get(2), origin,
        kind, gap);
  }

  static boolean coversType(Record r, int type) {
    return r instanceof RRSIGRecord sig && sig.getTypeCovered() == type;
  }

  private static boolean holdsCovered(Set<Record> section, RRSIGRecord sig) {
    return section.stream().anyMatch(r -> r.getName().equals(sig.getName())
        && r.getType() == sig.getTypeCovered());
  }
}
