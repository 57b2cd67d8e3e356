package io.dnssecproxy.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * Adds an NSEC chain (RFC 4034 section 4) to a zone.
 *
 * <p>Every owner with authoritative data, including delegation points, gets an NSEC naming the
 * next owner in canonical order; glue below cuts and empty non-terminals are not in the chain.
 * Each bitmap lists the owner's types plus NSEC and RRSIG, because the NSEC itself is signed at
 * that owner. That holds at insecure delegations too (as in RFC 4035 appendix A, where
 * {@code b.example.} has "NS RRSIG NSEC"); there the bitmap simply lacks DS.
 */
final class NsecChainBuilder {

  private NsecChainBuilder() {}

  static void build(ZoneContent content, long ttl) {
    List<Name> owners = new ArrayList<>();
    for (Name owner : content.owners()) {
      if (!content.isBelowCut(owner)) {
        owners.add(owner);
      }
    }
    for (int i = 0; i < owners.size(); i++) {
      Name owner = owners.get(i);
      Name next = owners.get((i + 1) % owners.size());
      content.add(new NSECRecord(owner, DClass.IN, ttl, next, bitmap(content, owner)));
    }
  }

  private static int[] bitmap(ZoneContent content, Name owner) {
    TreeSet<Integer> types = new TreeSet<>();
    for (RRset rrset : content.rrsets(owner)) {
      types.add(rrset.getType());
    }
    types.add(Type.NSEC);
    types.add(Type.RRSIG);
    return types.stream().mapToInt(Integer::intValue).toArray();
  }
}
