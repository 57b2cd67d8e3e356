package io.dnssecproxy.cache;

import io.dnssecproxy.validation.Verdict;
import java.time.Instant;
import org.xbill.DNS.Message;

/**
 * One cached upstream answer with the verdict it earned. The client's response is built from
 * it on every hit, so a mode switch applies to cached answers at once.
 *
 * @param storedAt wall-clock time of storage, from which served TTLs count down
 * @param ttlSeconds how long the answer is fresh
 * @param withDnssec pre-encoded answer for DO clients (null: no fast path)
 * @param withoutDnssec pre-encoded answer for other clients (null: no fast path)
 */
public record CachedAnswer(Message response, Verdict verdict, Instant storedAt, long ttlSeconds,
    WireTemplate withDnssec, WireTemplate withoutDnssec) {

  public CachedAnswer(Message response, Verdict verdict, Instant storedAt, long ttlSeconds) {
    this(response, verdict, storedAt, ttlSeconds, null, null);
  }

  /**
   * A rough heap estimate: a parsed message costs a few times its wire size (record objects,
   * names, arrays), plus the pre-encoded templates.
   */
  public long estimatedBytes() {
    long wire = withDnssec != null ? withDnssec.length() : response.numBytes();
    long templates = (withDnssec == null ? 0 : withDnssec.length()) + (withoutDnssec == null ? 0 : withoutDnssec.length());
    return 256 + 4 * wire + templates;
  }

  public CachedAnswer withTemplates(WireTemplate dnssec, WireTemplate plain) {
    return new CachedAnswer(response, verdict, storedAt, ttlSeconds, dnssec, plain);
  }

  /** Seconds of freshness left at {@code now}; negative once expired. */
  public long remaining(Instant now) {
    return ttlSeconds - java.time.Duration.between(storedAt, now).getSeconds();
  }
}
