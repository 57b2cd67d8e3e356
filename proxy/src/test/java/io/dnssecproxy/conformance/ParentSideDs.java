package io.dnssecproxy.conformance;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * DS questions belong to the parent side of a delegation. Scenarios often hold the parent's
 * DS answer only inside other messages (a referral, a CNAME answer), because unbound takes it
 * from there into its cache; these helpers recover the answer the parent would give.
 */
final class ParentSideDs {

  private ParentSideDs() {}

  /**
   * 2 when the entry is the parent side (it holds the DS RRset, or denies it with an SOA above
   * the name), 0 when it is the child apex's own answer (SOA at the name), 1 when it cannot
   * tell.
   */
  static int side(RplEntry e, Name qname) {
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
   * From a referral to qname: the DS RRset (with its signatures) in its authority section,
   * or, for an unsigned delegation, NODATA carrying the referral's NSEC/NSEC3 proof. Null when
   * the entry is no such referral.
   */
  static ReplayReply fromReferral(RplEntry e, Name qname) {
    List<Record> authority = e.section(Section.AUTHORITY);
    Set<Record> ds = new LinkedHashSet<>();
    boolean delegates = false;
    for (Record r : authority) {
      if (r.getName().equals(qname)
          && (r.getType() == Type.DS || ReplayReply.coversType(r, Type.DS))) {
        ds.add(r);
      }
      delegates |= r.getType() == Type.NS && r.getName().equals(qname);
    }
    if (ds.stream().anyMatch(r -> r.getType() == Type.DS)) {
      return new ReplayReply(Rcode.NOERROR, ds, Set.of(), Set.of(),
          "DS from referral at " + e.location());
    }
    if (!delegates) {
      return null;
    }
    Set<Record> proof = new LinkedHashSet<>();
    for (Record r : authority) {
      if (r.getType() == Type.NSEC || r.getType() == Type.NSEC3
          || ReplayReply.coversType(r, Type.NSEC) || ReplayReply.coversType(r, Type.NSEC3)) {
        proof.add(r);
      }
    }
    if (proof.isEmpty()) {
      return null;
    }
    return new ReplayReply(Rcode.NOERROR, Set.of(), proof, Set.of(),
        "no-DS proof from referral at " + e.location());
  }

  /** NODATA with a signed NSEC/NSEC3 for qname found anywhere in the entry, or null. */
  static ReplayReply denialFoundIn(RplEntry e, Name qname) {
    Set<Record> proof = DsDenialFinder.proofFor(e, qname);
    return proof.isEmpty() ? null : new ReplayReply(Rcode.NOERROR, Set.of(), proof, Set.of(),
        "no-DS proof found at " + e.location());
  }
}
