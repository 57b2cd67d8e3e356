package io.dnssecproxy.loadtest;

import org.HdrHistogram.Histogram;

/** The summary of one histogram, in milliseconds; all zero when nothing was recorded. */
public record Percentiles(long count, double mean, double p50, double p90, double p99, double p999, double max) {

  private static final double NANOS_PER_MS = 1e6;

  public static Percentiles of(Histogram h) {
    if (h.getTotalCount() == 0) {
      return new Percentiles(0, 0, 0, 0, 0, 0, 0);
    }
    return new Percentiles(h.getTotalCount(), h.getMean() / NANOS_PER_MS,
        ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), h.getMaxValue() / NANOS_PER_MS);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / NANOS_PER_MS;
  }
}
