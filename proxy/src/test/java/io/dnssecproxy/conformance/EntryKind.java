package io.dnssecproxy.conformance;

import java.util.List;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What an authoritative server's canned answer is, seen from a recursive resolver: an end
 * result it would hand to its client, or a referral it would follow, or a failure.
 */
enum EntryKind {
  /** SERVFAIL, REFUSED and the like: the resolver would try elsewhere. */
  ERROR(0),
  /** Empty answer with NS (and no SOA) in authority: the resolver would follow it. */
  REFERRAL(1),
  /** NXDOMAIN or NODATA (an SOA, or at least no NS, in authority). */
  NEGATIVE(2),
  /** A non-empty answer section. */
  ANSWER(2);

  /** Finals outrank referrals, which outrank errors. */
  final int rank;

  EntryKind(int rank) {
    this.rank = rank;
  }

  boolean isFinal() {
    return this == ANSWER || this == NEGATIVE;
  }

  /**
   * Like {@link #of(int, List, List)}, but an apparent referral to a zone the answering server
   * serves itself (NS owner not below the server's closest zone for the name, given as a label
   * count, -1 when unknown) is NODATA without proof, not a referral: nothing is delegated.
   */
  static EntryKind of(RplEntry e, int serverZoneLabels) {
    EntryKind kind = of(e.rcode(), e.section(org.xbill.DNS.Section.ANSWER),
        e.section(org.xbill.DNS.Section.AUTHORITY));
    if (kind != REFERRAL || serverZoneLabels < 0) {
      return kind;
    }
    for (Record r : e.section(org.xbill.DNS.Section.AUTHORITY)) {
      if (r.getType() == Type.NS && r.getName().labels() <= serverZoneLabels) {
        return NEGATIVE;
      }
    }
    return kind;
  }

  static EntryKind of(int rcode, List<Record> answer, List<Record> authority) {
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN && rcode != Rcode.YXDOMAIN) {
      return ERROR;
    }
    if (!answer.isEmpty()) {
      return ANSWER;
    }
    if (rcode != Rcode.NOERROR) {
      return NEGATIVE;
    }
    boolean hasSoa = authority.stream().anyMatch(r -> r.getType() == Type.SOA);
    boolean hasNs = authority.stream().anyMatch(r -> r.getType() == Type.NS);
    return hasNs && !hasSoa ? REFERRAL : NEGATIVE;
  }
}
