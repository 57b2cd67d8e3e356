package io.dnssecproxy.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.dnssecproxy.validation.SecurityStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Name;

/**
 * Validated answers by question. Entries stay in Caffeine past their TTL for the serve-stale
 * window (RFC 8767), so {@link #get} checks freshness itself and {@link #getStale} hands out the
 * expired ones when every upstream is down. Bogus answers are never served stale.
 */
public final class ResponseCache {

  private final Cache<CacheKey, CachedAnswer> entries;
  private final Clock clock;
  private final boolean serveStale;
  private final Duration staleMaxAge;
  private final LongAdder evictions = new LongAdder();

  /** Without a byte bound (tests and tools): entries alone limit the cache. */
  public ResponseCache(long maxEntries, boolean serveStale, Duration staleMaxAge, Clock clock) {
    this(maxEntries, 0, serveStale, staleMaxAge, clock);
  }

  /**
   * @param maxEntries at most this many answers
   * @param maxBytes at most about this much heap for them (estimated per entry); 0 for no byte bound
   */
  public ResponseCache(long maxEntries, long maxBytes, boolean serveStale, Duration staleMaxAge, Clock clock) {
    this.clock = clock;
    this.serveStale = serveStale;
    this.staleMaxAge = staleMaxAge;
    Caffeine<Object, Object> builder = Caffeine.newBuilder();
    if (maxBytes <= 0) {
      builder.maximumSize(maxEntries);
    } else {
      // Caffeine bounds either entries or weight: every entry weighs at least its share of the
      // byte budget per allowed entry, so the byte bound also caps the count at maxEntries.
      long floor = Math.max(1, maxBytes / Math.max(1, maxEntries));
      builder.maximumWeight(maxBytes)
          .weigher((CacheKey k, CachedAnswer v) -> (int) Math.min(Integer.MAX_VALUE, Math.max(floor, v.estimatedBytes())));
    }
    this.entries = builder
        .ticker(ticker(clock))
        .expireAfter(new Expiry<CacheKey, CachedAnswer>() {
          @Override
          public long expireAfterCreate(CacheKey key, CachedAnswer value, long currentTime) {
            return lifetime(value).toNanos();
          }

          @Override
          public long expireAfterUpdate(CacheKey key, CachedAnswer value, long currentTime, long currentDuration) {
            return lifetime(value).toNanos();
          }

          @Override
          public long expireAfterRead(CacheKey key, CachedAnswer value, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .removalListener((k, v, cause) -> {
          if (cause.wasEvicted()) {
            evictions.increment();
          }
        })
        .executor(Runnable::run)
        .build();
  }

  /** How long the entry is kept from now: counted from its storage, so a re-put does not extend it. */
  private Duration lifetime(CachedAnswer a) {
    Duration fresh = Duration.ofSeconds(a.ttlSeconds());
    boolean staleable = serveStale && a.verdict().status() != SecurityStatus.BOGUS;
    Duration kept = staleable ? fresh.plus(staleMaxAge) : fresh;
    Duration age = Duration.between(a.storedAt(), clock.instant());
    return age.isNegative() ? kept : kept.minus(age).isNegative() ? Duration.ZERO : kept.minus(age);
  }

  private static Ticker ticker(Clock clock) {
    return () -> clock.millis() * 1_000_000L;
  }

  /** A fresh answer, or null. */
  public CachedAnswer get(CacheKey key) {
    return get(key, clock.instant());
  }

  /** A fresh answer at {@code now} (the caller's reading of this cache's clock), or null. */
  public CachedAnswer get(CacheKey key, Instant now) {
    CachedAnswer a = entries.getIfPresent(key);
    return a != null && a.remaining(now) > 0 ? a : null;
  }

  /** An expired answer still inside the serve-stale window, or null. */
  public CachedAnswer getStale(CacheKey key) {
    if (!serveStale) {
      return null;
    }
    CachedAnswer a = entries.getIfPresent(key);
    return a != null && a.verdict().status() != SecurityStatus.BOGUS ? a : null;
  }

  public void put(CacheKey key, CachedAnswer answer) {
    if (answer.ttlSeconds() > 0) {
      entries.put(key.compact(), answer);
    }
  }

  /** Whether expired answers may be served when no upstream answers (RFC 8767). */
  public boolean serveStale() {
    return serveStale;
  }

  /** How long after expiry an answer may still be served stale. */
  public Duration staleMaxAge() {
    return staleMaxAge;
  }

  public Instant now() {
    return clock.instant();
  }

  public void flushAll() {
    entries.invalidateAll();
  }

  /** Removes every entry at or below {@code name}. */
  public void flush(Name name) {
    Name n = name.canonicalize();
    entries.asMap().keySet().removeIf(k -> k.name().subdomain(n));
  }

  public long size() {
    return entries.estimatedSize();
  }

  public long evictions() {
    return evictions.sum();
  }
}
