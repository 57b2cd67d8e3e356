package org.xbill.DNS;

/**
 * Copies a record with another TTL. dnsjava keeps its TTL setter package-private; cached answers
 * must count their TTLs down (RFC 1035 section 7.3) without re-encoding the rdata, which would
 * lower-case names in it. This one-method bridge is the only class the proxy places in
 * dnsjava's package.
 */
public final class RecordTtl {

  private RecordTtl() {}

  public static Record withTtl(Record r, long ttl) {
    if (r.getTTL() == ttl) {
      return r;
    }
    Record copy = r.cloneRecord();
    copy.setTTL(ttl);
    return copy;
  }
}
