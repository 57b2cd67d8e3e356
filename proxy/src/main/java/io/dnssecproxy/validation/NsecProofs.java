package io.dnssecproxy.validation;

import java.util.List;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Denial-of-existence proofs from NSEC records (RFC 4035 section 5.4), as pure functions over
 * NSEC records that have already been verified as signed by the zone.
 */
final class NsecProofs {

  private NsecProofs() {}

  /** Whether {@code nsec} proves that {@code name} does not exist (it falls strictly between owner and next). */
  static boolean covers(NSECRecord nsec, Name name) {
    Name owner = nsec.getName();
    Name next = nsec.getNext();
    if (name.subdomain(owner) && !name.equals(owner)) {
      // Names below a delegation or a DNAME belong elsewhere; this NSEC cannot speak for them.
      if ((nsec.hasType(Type.NS) && !nsec.hasType(Type.SOA)) || nsec.hasType(Type.DNAME)) {
        return false;
      }
    }
    if (owner.compareTo(name) >= 0) {
      return false;
    }
    // The last NSEC of a zone points back at the apex: everything after its owner is covered.
    boolean last = owner.compareTo(next) >= 0;
    return last ? name.subdomain(Names.commonAncestor(owner, next)) : name.compareTo(next) < 0;
  }

  static NSECRecord matching(List<NSECRecord> nsecs, Name name) {
    for (NSECRecord n : nsecs) {
      if (n.getName().equals(name)) {
        return n;
      }
    }
    return null;
  }

  static NSECRecord covering(List<NSECRecord> nsecs, Name name) {
    for (NSECRecord n : nsecs) {
      if (covers(n, name)) {
        return n;
      }
    }
    return null;
  }

  /** The closest encloser of a name an NSEC covers: the longest ancestor shared with owner or next. */
  static Name closestEncloser(NSECRecord covering, Name name) {
    Name a = Names.commonAncestor(name, covering.getName());
    Name b = Names.commonAncestor(name, covering.getNext());
    return a.labels() >= b.labels() ? a : b;
  }

  static Verdict nxdomain(Name qname, List<NSECRecord> nsecs) {
    NSECRecord cover = covering(nsecs, qname);
    if (cover == null) {
      return Verdict.bogus(Ede.NSEC_MISSING, "no NSEC proves that " + qname + " does not exist");
    }
    Name ce = closestEncloser(cover, qname);
    Name wildcard = Names.wildcardOf(ce);
    if (wildcard != null && covering(nsecs, wildcard) == null) {
      return Verdict.bogus(Ede.NSEC_MISSING, "no NSEC proves that wildcard " + wildcard + " does not exist");
    }
    return Verdict.secure();
  }

  static Verdict nodata(Name qname, int qtype, List<NSECRecord> nsecs) {
    NSECRecord match = matching(nsecs, qname);
    if (match != null) {
      return typeAbsent(match, qname, qtype);
    }
    NSECRecord cover = covering(nsecs, qname);
    if (cover != null) {
      if (Names.strictlyBelow(cover.getNext(), qname)) {
        return Verdict.secure(); // an empty non-terminal: names exist below it, none at it
      }
      Name ce = closestEncloser(cover, qname);
      Name wildcard = Names.wildcardOf(ce);
      NSECRecord wc = wildcard == null ? null : matching(nsecs, wildcard);
      if (wc != null) {
        return typeAbsent(wc, wildcard, qtype);
      }
    }
    return Verdict.bogus(Ede.NSEC_MISSING, "no NSEC proves that " + qname + " has no " + Type.string(qtype));
  }

  private static Verdict typeAbsent(NSECRecord match, Name name, int qtype) {
    if (match.hasType(qtype) || match.hasType(Type.CNAME)) {
      return Verdict.bogus(Ede.DNSSEC_BOGUS, "NSEC at " + name + " says " + Type.string(qtype) + " or CNAME exists");
    }
    if (qtype != Type.DS && match.hasType(Type.NS) && !match.hasType(Type.SOA)) {
      // The parent's NSEC at a cut says nothing about the child zone's data; but if it also
      // proves there is no DS, the child is unsigned and its answer can only be insecure.
      return match.hasType(Type.DS)
          ? Verdict.bogus(Ede.DNSSEC_BOGUS, "NSEC from the parent side of the cut at " + name + " used to deny " + Type.string(qtype))
          : Verdict.insecure(name + " is an unsigned delegation (NSEC shows NS without DS)");
    }
    if (qtype == Type.DS && match.hasType(Type.SOA) && name.labels() > 1) {
      return Verdict.bogus(Ede.DNSSEC_BOGUS, "NSEC from the child side of the cut at " + name + " used to deny DS");
    }
    return Verdict.secure();
  }

  /** Proof that the wildcard-expanded {@code qname} itself does not exist. */
  static Verdict wildcardExpansion(Name qname, Name closestEncloser, List<NSECRecord> nsecs) {
    NSECRecord cover = covering(nsecs, qname);
    if (cover == null) {
      return Verdict.bogus(Ede.NSEC_MISSING, "wildcard answer for " + qname + " without NSEC proving the name does not exist");
    }
    if (!closestEncloser(cover, qname).equals(closestEncloser)) {
      return Verdict.bogus(Ede.DNSSEC_BOGUS, "wildcard answer for " + qname + " expanded from the wrong closest encloser " + closestEncloser);
    }
    return Verdict.secure();
  }

  /** What the NSECs of a DS denial prove about {@code name}; null when they prove nothing. */
  static DsAbsence dsAbsence(Name name, List<NSECRecord> nsecs) {
    NSECRecord match = matching(nsecs, name);
    if (match != null) {
      if (match.hasType(Type.DS) || match.hasType(Type.SOA)) {
        return null;
      }
      return match.hasType(Type.NS) ? DsAbsence.INSECURE_DELEGATION : DsAbsence.NO_CUT;
    }
    NSECRecord cover = covering(nsecs, name);
    if (cover == null) {
      return null;
    }
    return Names.strictlyBelow(cover.getNext(), name) ? DsAbsence.NO_CUT : DsAbsence.NAME_ABSENT;
  }
}
