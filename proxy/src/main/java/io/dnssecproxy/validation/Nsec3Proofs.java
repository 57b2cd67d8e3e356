package io.dnssecproxy.validation;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * Denial-of-existence proofs from NSEC3 records (RFC 5155 section 8), over records already
 * verified as signed by {@code zone}. Records with another hash algorithm or other parameters
 * than the first usable one are ignored. Every hash is charged to the work budget; callers
 * must check {@link #iterationsAboveLimit} first (RFC 9276).
 */
final class Nsec3Proofs {

  private static final base32 B32 = new base32(base32.Alphabet.BASE32HEX, false, false);

  private record Hashed(NSEC3Record record, byte[] owner) {}

  /** The closest-encloser proof: the encloser, the next closer name and the NSEC3 covering it. */
  record ClosestEncloser(Name encloser, Name nextCloser, NSEC3Record nextCloserCover) {}

  private final Name zone;
  private final List<Hashed> records = new ArrayList<>();
  private final NSEC3Record params;
  private final WorkBudget budget;
  private final Map<Name, byte[]> hashes = new HashMap<>();

  Nsec3Proofs(Name zone, List<NSEC3Record> nsec3s, WorkBudget budget) {
    this.zone = zone;
    this.budget = budget;
    NSEC3Record first = null;
    for (NSEC3Record r : nsec3s) {
      if (r.getHashAlgorithm() != NSEC3Record.Digest.SHA1 || !Names.parent(r.getName()).equals(zone)) {
        continue;
      }
      if (first == null) {
        first = r;
      } else if (first.getIterations() != r.getIterations() || !Arrays.equals(first.getSalt(), r.getSalt())) {
        continue;
      }
      byte[] owner = B32.fromString(r.getName().getLabelString(0));
      if (owner != null && owner.length == r.getNext().length) {
        records.add(new Hashed(r, owner));
      }
    }
    this.params = first;
  }

  boolean isEmpty() {
    return records.isEmpty();
  }

  int iterations() {
    return params == null ? 0 : params.getIterations();
  }

  boolean iterationsAboveLimit(int limit) {
    return params != null && params.getIterations() > limit;
  }

  private byte[] hash(Name name) {
    byte[] h = hashes.get(name);
    if (h == null) {
      budget.chargeNsec3Hash();
      try {
        h = params.hashName(name);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-1 unavailable", e);
      }
      hashes.put(name, h);
    }
    return h;
  }

  private NSEC3Record matching(Name name) {
    byte[] h = hash(name);
    for (Hashed r : records) {
      if (Arrays.equals(r.owner, h)) {
        return r.record;
      }
    }
    return null;
  }

  private NSEC3Record covering(Name name) {
    byte[] h = hash(name);
    for (Hashed r : records) {
      byte[] next = r.record.getNext();
      int ownerVsHash = Arrays.compareUnsigned(r.owner, h);
      boolean wraps = Arrays.compareUnsigned(r.owner, next) >= 0;
      boolean covered = wraps
          ? ownerVsHash < 0 || Arrays.compareUnsigned(h, next) < 0
          : ownerVsHash < 0 && Arrays.compareUnsigned(h, next) < 0;
      if (covered) {
        return r.record;
      }
    }
    return null;
  }

  /** True when a record of this set matches {@code name} and lists {@code qtype} or CNAME there. */
  boolean assertsData(Name name, int qtype) {
    NSEC3Record match = matching(name);
    return match != null && (match.hasType(qtype) || match.hasType(Type.CNAME));
  }

  /** RFC 5155 section 8.3; null when there is no valid proof. */
  ClosestEncloser closestEncloser(Name qname) {
    if (!qname.subdomain(zone)) {
      return null;
    }
    Name candidate = qname;
    Name nextCloser = null;
    while (true) {
      NSEC3Record match = matching(candidate);
      if (match != null) {
        if (nextCloser == null) {
          return null; // qname itself exists
        }
        if ((match.hasType(Type.NS) && !match.hasType(Type.SOA)) || match.hasType(Type.DNAME)) {
          return null; // an encloser at a cut or DNAME cannot prove anything below it
        }
        NSEC3Record cover = covering(nextCloser);
        return cover == null ? null : new ClosestEncloser(candidate, nextCloser, cover);
      }
      if (candidate.equals(zone)) {
        return null;
      }
      nextCloser = candidate;
      candidate = Names.parent(candidate);
    }
  }

  Verdict nxdomain(Name qname) {
    ClosestEncloser ce = closestEncloser(qname);
    if (ce == null) {
      return Verdict.bogus(Ede.NSEC_MISSING, "no NSEC3 closest-encloser proof for " + qname);
    }
    Name wildcard = Names.wildcardOf(ce.encloser());
    if (wildcard != null && covering(wildcard) == null) {
      return Verdict.bogus(Ede.NSEC_MISSING, "no NSEC3 proves that wildcard " + wildcard + " does not exist");
    }
    if (optOut(ce)) {
      // An opt-out span may hide an unsigned delegation: the name might exist there.
      return Verdict.insecure("NXDOMAIN for " + qname + " proven only by an opt-out NSEC3 span");
    }
    return Verdict.secure();
  }

  Verdict nodata(Name qname, int qtype) {
    NSEC3Record match = matching(qname);
    if (match != null) {
      if (match.hasType(qtype) || match.hasType(Type.CNAME)) {
        return Verdict.bogus(Ede.DNSSEC_BOGUS, "NSEC3 for " + qname + " says " + Type.string(qtype) + " or CNAME exists");
      }
      if (qtype != Type.DS && match.hasType(Type.NS) && !match.hasType(Type.SOA)) {
        return match.hasType(Type.DS)
            ? Verdict.bogus(Ede.DNSSEC_BOGUS, "NSEC3 from the parent side of the cut at " + qname + " used to deny " + Type.string(qtype))
            : Verdict.insecure(qname + " is an unsigned delegation (NSEC3 shows NS without DS)");
      }
      if (qtype == Type.DS && match.hasType(Type.SOA) && qname.labels() > 1) {
        return Verdict.bogus(Ede.DNSSEC_BOGUS, "NSEC3 from the child side of the cut at " + qname + " used to deny DS");
      }
      return Verdict.secure();
    }
    ClosestEncloser ce = closestEncloser(qname);
    if (ce == null) {
      return Verdict.bogus(Ede.NSEC_MISSING, "no NSEC3 proves that " + qname + " has no " + Type.string(qtype));
    }
    if (qtype == Type.DS) {
      return optOut(ce)
          ? Verdict.insecure("no DS for " + qname + ": covered by an opt-out NSEC3 span")
          : Verdict.bogus(Ede.NSEC_MISSING, "NSEC3 for DS at " + qname + " neither matches nor opts out");
    }
    Name wildcard = Names.wildcardOf(ce.encloser());
    NSEC3Record wc = wildcard == null ? null : matching(wildcard);
    if (wc == null) {
      // Under an opt-out span the name may sit in an unsigned delegated child: unprovable.
      return optOut(ce)
          ? Verdict.insecure(qname + " lies under an opt-out NSEC3 span (possibly an unsigned delegation)")
          : Verdict.bogus(Ede.NSEC_MISSING, "no NSEC3 proves that " + qname + " has no " + Type.string(qtype));
    }
    if (wc.hasType(qtype) || wc.hasType(Type.CNAME)) {
      return Verdict.bogus(Ede.DNSSEC_BOGUS, "NSEC3 for " + wildcard + " says " + Type.string(qtype) + " exists");
    }
    return optOut(ce)
        ? Verdict.insecure("wildcard NODATA for " + qname + " proven only by an opt-out NSEC3 span")
        : Verdict.secure();
  }

  /** Proof that the name a wildcard answer was expanded for does not exist itself. */
  Verdict wildcardExpansion(Name qname, Name closestEncloser) {
    Name nextCloser = Names.childToward(qname, closestEncloser);
    NSEC3Record cover = covering(nextCloser);
    if (cover == null) {
      return Verdict.bogus(Ede.NSEC_MISSING, "wildcard answer for " + qname + " without NSEC3 covering " + nextCloser);
    }
    if ((cover.getFlags() & NSEC3Record.Flags.OPT_OUT) != 0) {
      // The exact name may exist as an unsigned delegation inside the opt-out span.
      return Verdict.insecure("wildcard answer for " + qname + " proven only by an opt-out NSEC3 span");
    }
    return Verdict.secure();
  }

  /** What a DS denial proves about {@code name}; null when it proves nothing. */
  DsAbsence dsAbsence(Name name, boolean nxdomain) {
    NSEC3Record match = matching(name);
    if (match != null) {
      if (match.hasType(Type.DS) || match.hasType(Type.SOA)) {
        return null;
      }
      return match.hasType(Type.NS) ? DsAbsence.INSECURE_DELEGATION : DsAbsence.NO_CUT;
    }
    ClosestEncloser ce = closestEncloser(name);
    if (ce == null) {
      return null;
    }
    if (optOut(ce)) {
      return DsAbsence.INSECURE_DELEGATION;
    }
    if (nxdomain) {
      Name wildcard = Names.wildcardOf(ce.encloser());
      return wildcard != null && covering(wildcard) != null ? DsAbsence.NAME_ABSENT : null;
    }
    return null;
  }

  private static boolean optOut(ClosestEncloser ce) {
    return (ce.nextCloserCover().getFlags() & NSEC3Record.Flags.OPT_OUT) != 0;
  }
}
