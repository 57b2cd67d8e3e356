package io.dnssecproxy.lab;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * Adds an NSEC3 chain and the apex NSEC3PARAM (RFC 5155 section 7.1) to a zone.
 *
 * <p>Hashed names: every authoritative owner, delegation points, and every empty non-terminal
 * between them and the apex. With opt-out, delegations without DS are left out and every NSEC3
 * carries the opt-out flag, so the spans covering them prove nothing about insecure children.
 * Bitmaps list the original owner's types, plus RRSIG when something there is signed (not at an
 * insecure delegation, not at an empty non-terminal).
 */
final class Nsec3ChainBuilder {

  private Nsec3ChainBuilder() {}

  static void build(ZoneContent content, Nsec3Params params, long ttl) {
    Name apex = content.apex();
    content.add(
        new NSEC3PARAMRecord(apex, DClass.IN, 0, NSEC3Record.Digest.SHA1, 0,
            params.iterations(), params.salt()));

    Set<Name> names = hashedNames(content, params.optOut());
    TreeMap<byte[], Name> byHash = new TreeMap<>(Nsec3Hash::compare);
    for (Name name : names) {
      byHash.put(Nsec3Hash.hash(name, params), name);
    }
    List<byte[]> hashes = new ArrayList<>(byHash.keySet());
    for (int i = 0; i < hashes.size(); i++) {
      byte[] hash = hashes.get(i);
      byte[] next = hashes.get((i + 1) % hashes.size());
      Name original = byHash.get(hash);
      content.add(
          new NSEC3Record(
              Nsec3Hash.ownerName(hash, apex), DClass.IN, ttl, NSEC3Record.Digest.SHA1,
              params.flags(), params.iterations(), params.salt(), next,
              bitmap(content, original)));
    }
  }

  private static Set<Name> hashedNames(ZoneContent content, boolean optOut) {
    Name apex = content.apex();
    Set<Name> names = new LinkedHashSet<>();
    for (Name owner : content.owners()) {
      if (content.isBelowCut(owner)) {
        continue;
      }
      boolean insecureCut =
          !owner.equals(apex)
              && content.get(owner, Type.NS) != null
              && content.get(owner, Type.DS) == null;
      if (optOut && insecureCut) {
        continue;
      }
      // The owner and all its ancestors up to the apex (the empty non-terminals among them).
      for (Name n = owner; n.subdomain(apex); n = new Name(n, 1)) {
        if (!names.add(n) || n.equals(apex)) {
          break;
        }
      }
    }
    return names;
  }

  private static int[] bitmap(ZoneContent content, Name owner) {
    TreeSet<Integer> types = new TreeSet<>();
    for (RRset rrset : content.rrsets(owner)) {
      types.add(rrset.getType());
    }
    boolean cut = !owner.equals(content.apex()) && types.contains(Type.NS);
    boolean signedHere = !types.isEmpty() && (!cut || types.contains(Type.DS));
    if (signedHere) {
      types.add(Type.RRSIG);
    }
    return types.stream().mapToInt(Integer::intValue).toArray();
  }
}
