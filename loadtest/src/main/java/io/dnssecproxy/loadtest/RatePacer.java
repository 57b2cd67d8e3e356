package io.dnssecproxy.loadtest;

/**
 * The open-loop schedule: query {@code i} (from 0) is due at {@code start + i / rate}, whatever
 * happened to the queries before it. Latency is measured from this intended time, not from the
 * moment the query actually left, so a generator or resolver stall shows up in the percentiles
 * instead of silently delaying the queries that would have seen it (coordinated omission).
 */
public final class RatePacer {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final long startNanos;
  private final double nanosPerQuery;

  public RatePacer(long startNanos, double queriesPerSecond) {
    if (!(queriesPerSecond > 0) || Double.isInfinite(queriesPerSecond)) {
      throw new IllegalArgumentException("rate must be a positive number of queries per second");
    }
    this.startNanos = startNanos;
    this.nanosPerQuery = NANOS_PER_SECOND / queriesPerSecond;
  }

  /** When query {@code i} should be sent (System.nanoTime scale). */
  public long intendedNanos(long i) {
    return startNanos + (long) (i * nanosPerQuery);
  }

  /** How many queries are due at {@code nowNanos}: all those whose intended time has come. */
  public long dueBy(long nowNanos) {
    long elapsed = nowNanos - startNanos;
    if (elapsed < 0) {
      return 0;
    }
    // floor(elapsed / interval) + 1, corrected for the rounding of intendedNanos
    long n = (long) (elapsed / nanosPerQuery) + 1;
    while (n > 0 && intendedNanos(n - 1) > nowNanos) {
      n--;
    }
    while (intendedNanos(n) <= nowNanos) {
      n++;
    }
    return n;
  }
}
