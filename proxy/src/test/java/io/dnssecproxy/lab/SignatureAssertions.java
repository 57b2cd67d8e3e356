package io.dnssecproxy.lab;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.util.List;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/** Checks RRSIGs against a zone's DNSKEYs with dnsjava's verifier. */
final class SignatureAssertions {

  private SignatureAssertions() {}

  /** Every signature of the RRset verifies at {@code at}, and there is at least one. */
  static void assertVerifies(RRset rrset, List<DNSKEYRecord> keys, Instant at) {
    assertFalse(rrset.sigs().isEmpty(), () -> "unsigned: " + rrset);
    for (RRSIGRecord sig : rrset.sigs()) {
      try {
        DNSSEC.verify(rrset, sig, keyFor(sig, keys), at);
      } catch (DNSSEC.DNSSECException e) {
        fail("signature does not verify: " + sig + " over " + rrset + ": " + e);
      }
    }
  }

  /** The exception verifying the RRset's first signature raises at {@code at}, or null. */
  static DNSSEC.DNSSECException verificationFailure(RRset rrset, List<DNSKEYRecord> keys,
      Instant at) {
    RRSIGRecord sig = rrset.sigs().get(0);
    try {
      DNSSEC.verify(rrset, sig, keyFor(sig, keys), at);
      return null;
    } catch (DNSSEC.DNSSECException e) {
      return e;
    }
  }

  static DNSKEYRecord keyFor(RRSIGRecord sig, List<DNSKEYRecord> keys) {
    return keys.stream()
        .filter(k -> k.getFootprint() == sig.getFootprint()
            && k.getAlgorithm() == sig.getAlgorithm()
            && k.getName().equals(sig.getSigner()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no DNSKEY for " + sig));
  }
}
