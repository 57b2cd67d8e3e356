package io.dnssecproxy.resolve;

/**
 * When a cache hit should also refresh its answer ahead of expiry, as Unbound's {@code prefetch}
 * does: a name in use then never expires from the cache, so no app waits on the upstream for it
 * every TTL (cluster DNS hands out 5 to 30 s TTLs). Due in the last tenth of the TTL, and at
 * least in its last second; never in the second the answer was stored, so a refreshed answer
 * whose TTL is already short (a caching upstream counts its own TTL down) is not refreshed again
 * at once: at most one refresh per second per name, one at a time (the pipeline coalesces them).
 */
final class Prefetch {

  private Prefetch() {}

  /** True when an answer fresh for {@code ttlSeconds} and stored {@code ageSeconds} ago is due. */
  static boolean due(long ttlSeconds, long ageSeconds) {
    long remaining = ttlSeconds - ageSeconds;
    return ageSeconds > 0 && remaining > 0 && remaining <= Math.max(1, ttlSeconds / 10);
  }
}
