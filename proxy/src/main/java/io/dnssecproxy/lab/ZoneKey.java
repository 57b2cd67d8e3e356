package io.dnssecproxy.lab;

import java.security.PrivateKey;
import org.xbill.DNS.DNSKEYRecord;

/** A published DNSKEY together with the private key that signs with it. */
public record ZoneKey(KeyRole role, DNSKEYRecord dnskey, PrivateKey privateKey) {

  /** The key tag that RRSIG and DS records refer to. */
  public int keyTag() {
    return dnskey.getFootprint();
  }
}
