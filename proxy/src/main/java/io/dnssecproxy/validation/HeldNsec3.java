package io.dnssecproxy.validation;

import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * One zone's validated NSEC3 records, kept for aggressive use (RFC 8198 section 5.4 applies it
 * to NSEC3 too), and what they prove about a name without asking the upstream. All held records
 * share one parameter set (hash, iterations, salt); records of another set replace them, since a
 * zone changing its NSEC3PARAM retires the old chain. A span with the opt-out flag never proves
 * anything here: an unsigned delegation may hide in it. Not thread-safe: {@link AggressiveNsec}
 * guards it.
 */
final class HeldNsec3 {

  private static final base32 B32 = new base32(base32.Alphabet.BASE32HEX, false, false);

  private record Held(RRset rrset, NSEC3Record record, byte[] owner, Instant expires) {}

  /** What the held records show about a name, and the NSEC3 RRsets that show it. */
  record Proof(Kind kind, Name wildcard, List<RRset> records) {}

  enum Kind {
    /** The name exists without the type. */
    NODATA,
    /** The name does not exist, nor a wildcard that could stand for it. */
    NXDOMAIN,
    /** The name does not exist and wildcard {@code wildcard} has the data: expand it. */
    WILDCARD,
    /** The name does not exist and the wildcard that stands for it lacks the type. */
    WILDCARD_NODATA
  }

  private final Name zone;
  private NSEC3Record params;
  private final TreeMap<byte[], Held> byHash = new TreeMap<>(Arrays::compareUnsigned);

  HeldNsec3(Name zone) {
    this.zone = zone;
  }

  int size() {
    return byHash.size();
  }

  /**
   * Adds the records of a verified NSEC3 RRset of this zone; returns how many more are held
   * (negative when a parameter change dropped the old ones). At most {@code max} are kept.
   */
  int add(RRset rrset, Instant expires, int max) {
    int before = byHash.size();
    if (rrset.getType() != Type.NSEC3 || !Names.parent(rrset.getName()).equals(zone)) {
      return 0;
    }
    NSEC3Record r = (NSEC3Record) rrset.first();
    if (r.getHashAlgorithm() != NSEC3Record.Digest.SHA1) {
      return 0;
    }
    if (params == null || params.getIterations() != r.getIterations() || !Arrays.equals(salt(params), salt(r))) {
      byHash.clear();
      params = r;
    }
    byte[] owner = B32.fromString(rrset.getName().getLabelString(0));
    if (owner == null || owner.length != r.getNext().length) {
      return byHash.size() - before;
    }
    byHash.put(owner, new Held(rrset, r, owner, expires));
    while (byHash.size() > max) {
      byHash.pollFirstEntry();
    }
    return byHash.size() - before;
  }

  private static byte[] salt(NSEC3Record r) {
    return r.getSalt() == null ? new byte[0] : r.getSalt();
  }

  /**
   * What the live held records prove about {@code qname}/{@code qtype}, or null when they do
   * not prove anything (the upstream must then be asked). {@code heldWildcard} tells whether
   * the data of a given wildcard owner is held for {@code qtype}.
   */
  Proof prove(Name qname, int qtype, Instant now, Predicate<Name> heldWildcard) {
    if (params == null || !Names.strictlyBelow(qname, zone) && !qname.equals(zone)) {
      return null;
    }
    Held exact = match(qname, now);
    if (exact != null) {
      NSEC3Record m = exact.record();
      boolean cut = m.hasType(Type.NS) && !m.hasType(Type.SOA);
      return m.hasType(qtype) || m.hasType(Type.CNAME) || cut ? null : new Proof(Kind.NODATA, null, List.of(exact.rrset()));
    }
    // A held wildcard above the name stands for it once the next closer name is proven absent
    // (RFC 5155 section 8.8): nothing can then exist between the name and the wildcard's parent.
    for (Name a = Names.parent(qname); a.subdomain(zone); a = Names.parent(a)) {
      Name wildcard = Names.wildcardOf(a);
      if (wildcard != null && heldWildcard.test(wildcard)) {
        Held cover = cover(Names.childToward(qname, a), now);
        return cover == null || optOut(cover) ? null : new Proof(Kind.WILDCARD, wildcard, List.of(cover.rrset()));
      }
      if (a.equals(zone)) {
        break;
      }
    }
    return closestEncloserProof(qname, qtype, now);
  }

  /** RFC 5155 sections 8.4 and 8.7 from held records: NXDOMAIN or wildcard NODATA. */
  private Proof closestEncloserProof(Name qname, int qtype, Instant now) {
    Name nextCloser = qname;
    for (Name ce = Names.parent(qname); ce.subdomain(zone); nextCloser = ce, ce = Names.parent(ce)) {
      Held encloser = match(ce, now);
      if (encloser == null) {
        if (ce.equals(zone)) {
          return null;
        }
        continue;
      }
      NSEC3Record e = encloser.record();
      if ((e.hasType(Type.NS) && !e.hasType(Type.SOA)) || e.hasType(Type.DNAME)) {
        return null; // below a cut or a DNAME: nothing here speaks for the name
      }
      Held cover = cover(nextCloser, now);
      if (cover == null || optOut(cover)) {
        return null;
      }
      Name wildcard = Names.wildcardOf(ce);
      if (wildcard == null) {
        return null;
      }
      Held wc = match(wildcard, now);
      if (wc != null) {
        NSEC3Record w = wc.record();
        return w.hasType(qtype) || w.hasType(Type.CNAME) ? null
            : new Proof(Kind.WILDCARD_NODATA, wildcard, distinct(encloser, cover, wc));
      }
      Held wcCover = cover(wildcard, now);
      return wcCover == null ? null : new Proof(Kind.NXDOMAIN, null, distinct(encloser, cover, wcCover));
    }
    return null;
  }

  private static List<RRset> distinct(Held... held) {
    List<RRset> out = new ArrayList<>();
    for (Held h : held) {
      if (!out.contains(h.rrset())) {
        out.add(h.rrset());
      }
    }
    return out;
  }

  private static boolean optOut(Held h) {
    return (h.record().getFlags() & NSEC3Record.Flags.OPT_OUT) != 0;
  }

  private byte[] hash(Name name) {
    try {
      return params.hashName(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 unavailable", e);
    }
  }

  private Held match(Name name, Instant now) {
    return live(byHash.get(hash(name)), now);
  }

  /** The held record whose span covers the name's hash (strictly between owner and next). */
  private Held cover(Name name, Instant now) {
    byte[] h = hash(name);
    Map.Entry<byte[], Held> below = byHash.lowerEntry(h);
    Held candidate = live(below != null ? below.getValue() : byHash.isEmpty() ? null : byHash.lastEntry().getValue(), now);
    if (candidate == null) {
      return null;
    }
    byte[] owner = candidate.owner();
    byte[] next = candidate.record().getNext();
    boolean wraps = Arrays.compareUnsigned(owner, next) >= 0;
    boolean afterOwner = Arrays.compareUnsigned(owner, h) < 0;
    boolean beforeNext = Arrays.compareUnsigned(h, next) < 0;
    return (wraps ? afterOwner || beforeNext : afterOwner && beforeNext) ? candidate : null;
  }

  private static Held live(Held h, Instant now) {
    return h == null || !now.isBefore(h.expires()) ? null : h;
  }
}
