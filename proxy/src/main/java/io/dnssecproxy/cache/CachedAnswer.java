package io.dnssecproxy.cache;

import io.dnssecproxy.validation.Verdict;
import java.time.Instant;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

/**
 * One cached upstream answer with the verdict it earned. The client's response is built from
 * it on every hit, so a mode switch applies to cached answers at once.
 *
 * <p>Stored compacted ({@link #compact()}): an answer with templates keeps only their bytes, and
 * {@link #response()} parses the DNSSEC template again on the rare hits the hot path leaves to
 * the normal path. A parsed message costs several times its wire size on the heap, and the
 * sidecar's heap is small.
 *
 * @param message the parsed answer; null once compacted (use {@link #response()})
 * @param storedAt wall-clock time of storage, from which served TTLs count down
 * @param ttlSeconds how long the answer is fresh
 * @param withDnssec pre-encoded answer for DO clients (null: no fast path)
 * @param withoutDnssec pre-encoded answer for other clients (null: no fast path)
 */
public record CachedAnswer(Message message, Verdict verdict, Instant storedAt, long ttlSeconds,
    WireTemplate withDnssec, WireTemplate withoutDnssec) {

  public CachedAnswer(Message response, Verdict verdict, Instant storedAt, long ttlSeconds) {
    this(response, verdict, storedAt, ttlSeconds, null, null);
  }

  /**
   * The answer's data. A template holds everything the normal path reads (rcode, every section
   * with DNSSEC records, TTLs capped as of storage), so parsing it gives the same response.
   */
  public Message response() {
    return message != null ? message : withDnssec.parse();
  }

  /** What the cache keeps: without the parsed message when the templates can stand in for it. */
  public CachedAnswer compact() {
    return message == null || withDnssec == null || withoutDnssec == null
        ? this
        : new CachedAnswer(null, verdict, storedAt, ttlSeconds, withDnssec, withoutDnssec);
  }

  /**
   * A rough heap estimate: a parsed message costs a few times its wire size (record objects,
   * names, arrays), plus the pre-encoded templates, plus what every entry costs (key, name,
   * this record, the templates' TTL index, the cache's node): measured at about 1.9 KB per
   * compacted entry of the benchmark's signed answers, of which the templates are about 1 KB.
   */
  public long estimatedBytes() {
    long templates = (withDnssec == null ? 0 : withDnssec.length()) + (withoutDnssec == null ? 0 : withoutDnssec.length());
    return 768 + parsedBytes() + templates;
  }

  private long parsedBytes() {
    if (message == null) {
      return 0;
    }
    if (withDnssec != null) {
      return 4L * withDnssec.length();
    }
    if (message.numBytes() > 0) {
      return 4L * message.numBytes(); // parsed from the wire, which dnsjava remembers the size of
    }
    // Built here, not parsed (a bogus or otherwise template-less answer): no wire size known.
    // Each record, with its name and RDATA objects, is taken to cost 320 bytes: an estimate
    // between an A record's and an RRSIG's, not a measurement.
    long records = 0;
    for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
      records += message.getHeader().getCount(section);
    }
    return 320 * records;
  }

  public CachedAnswer withTemplates(WireTemplate dnssec, WireTemplate plain) {
    return new CachedAnswer(message, verdict, storedAt, ttlSeconds, dnssec, plain);
  }

  /** Seconds of freshness left at {@code now}; negative once expired. */
  public long remaining(Instant now) {
    return ttlSeconds - ageSeconds(now);
  }

  /**
   * Whole seconds since storage at {@code now} (negative if {@code now} is earlier), rounded
   * down as {@code Duration.between(storedAt, now).getSeconds()} does, without allocating: this
   * runs on every cache hit.
   */
  public long ageSeconds(Instant now) {
    long seconds = now.getEpochSecond() - storedAt.getEpochSecond();
    return now.getNano() < storedAt.getNano() ? seconds - 1 : seconds;
  }
}
