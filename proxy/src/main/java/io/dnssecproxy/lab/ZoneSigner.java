package io.dnssecproxy.lab;

import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * Signs every RRset the zone is authoritative for: DNSKEY with the KSK, the rest with the ZSK.
 * Delegation NS RRsets and glue are the child's data, so they stay unsigned (RFC 4035 2.2).
 */
final class ZoneSigner {

  private ZoneSigner() {}

  static void sign(ZoneContent content, ZoneKey ksk, ZoneKey zsk, SigningConfig config) {
    for (RRset rrset : content.allRRsets()) {
      if (!isSigned(content, rrset)) {
        continue;
      }
      ZoneKey key = rrset.getType() == Type.DNSKEY ? ksk : zsk;
      content.put(
          RRsetSigner.signedBy(rrset, config.inception(), config.expiration(), key));
    }
  }

  static boolean isSigned(ZoneContent content, RRset rrset) {
    Name owner = rrset.getName();
    Name cut = content.cutAtOrAbove(owner);
    if (cut == null) {
      return true;
    }
    // At a delegation point the parent signs only what it is authoritative for.
    return cut.equals(owner) && (rrset.getType() == Type.DS || rrset.getType() == Type.NSEC);
  }
}
