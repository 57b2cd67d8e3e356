package io.dnssecproxy.lab;

import org.xbill.DNS.DNSKEYRecord;

/** Which job a zone key does; decides the DNSKEY flags field. */
public enum KeyRole {
  /** Key-signing key: SEP bit set, signs the DNSKEY RRset, referenced by the parent's DS. */
  KSK(DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY),
  /** Zone-signing key: signs every other authoritative RRset. */
  ZSK(DNSKEYRecord.Flags.ZONE_KEY);

  private final int flags;

  KeyRole(int flags) {
    this.flags = flags;
  }

  public int flags() {
    return flags;
  }
}
