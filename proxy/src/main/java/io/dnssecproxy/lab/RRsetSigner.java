package io.dnssecproxy.lab;

import java.time.Instant;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;

/** Signs single RRsets; the signature window is always passed in, never taken from the clock. */
final class RRsetSigner {

  private RRsetSigner() {}

  /** A copy of the RRset's records without any signatures. */
  static RRset unsigned(RRset rrset) {
    RRset copy = new RRset();
    for (Record r : rrset.rrs(false)) {
      copy.addRR(r);
    }
    return copy;
  }

  static RRSIGRecord sign(RRset rrset, ZoneKey key, Instant inception, Instant expiration) {
    try {
      return DNSSEC.sign(unsigned(rrset), key.dnskey(), key.privateKey(), inception, expiration);
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException("cannot sign " + rrset.getName() + " with " + key, e);
    }
  }

  /** The records of {@code rrset} signed by each of {@code keys}, replacing old signatures. */
  static RRset signedBy(RRset rrset, Instant inception, Instant expiration, ZoneKey... keys) {
    RRset signed = unsigned(rrset);
    for (ZoneKey key : keys) {
      signed.addRR(sign(rrset, key, inception, expiration));
    }
    return signed;
  }
}
