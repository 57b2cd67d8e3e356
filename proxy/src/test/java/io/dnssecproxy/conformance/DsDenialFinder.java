package io.dnssecproxy.conformance;

import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * Finds, anywhere in a scenario, the signed NSEC or NSEC3 record that matches a delegation
 * point and shows NS without DS: the proof an authoritative parent would send for "name DS".
 *
 * <p>Some scenarios only show that proof inside another answer (e.g. next to a CNAME into an
 * unsigned subzone) and have no entry for the DS question itself: unbound then answers the DS
 * question from its negative cache. A recursive upstream would ask the parent, whose answer
 * is exactly this proof.
 */
final class DsDenialFinder {

  private static final base32 BASE32HEX = new base32(base32.Alphabet.BASE32HEX, false, false);

  private DsDenialFinder() {}

  /** The proof records (NSEC or NSEC3 plus their RRSIGs), or an empty set. */
  static Set<Record> proofFor(RplEntry e, Name qname) {
    Set<Record> proof = new LinkedHashSet<>();
    for (int section = Section.ANSWER; section <= Section.AUTHORITY; section++) {
      for (Record r : e.section(section)) {
        if (provesInsecureDelegation(r, qname)) {
          proof.add(r);
          for (Record sig : e.section(section)) {
            if (sig instanceof RRSIGRecord rrsig && rrsig.getName().equals(r.getName())
                && rrsig.getTypeCovered() == r.getType()) {
              proof.add(sig);
            }
          }
        }
      }
    }
    // Unsigned proofs prove nothing; better to let the caller fall back.
    boolean signed = proof.stream().anyMatch(r -> r.getType() == Type.RRSIG);
    return signed ? proof : Set.of();
  }

  private static boolean provesInsecureDelegation(Record r, Name qname) {
    if (r instanceof NSECRecord nsec) {
      return nsec.getName().equals(qname) && nsec.hasType(Type.NS) && !nsec.hasType(Type.DS)
          && !nsec.hasType(Type.SOA);
    }
    if (r instanceof NSEC3Record nsec3 && nsec3.hasType(Type.NS) && !nsec3.hasType(Type.DS)
        && !nsec3.hasType(Type.SOA) && nsec3.getName().labels() > 1) {
      Name zone = new Name(nsec3.getName(), 1);
      if (!qname.subdomain(zone) || qname.equals(zone)) {
        return false;
      }
      try {
        String hash = BASE32HEX.toString(nsec3.hashName(qname));
        return hash.equalsIgnoreCase(nsec3.getName().getLabelString(0));
      } catch (NoSuchAlgorithmException e) {
        return false;
      }
    }
    return false;
  }
}
