package io.dnssecproxy.loadtest;

import org.HdrHistogram.Histogram;

/**
 * Everything counted during one step on one event loop. Three histograms (nanoseconds):
 * latency from the intended send time (the coordinated-omission-corrected figure reported as
 * "latency"), service time from the actual send, and the generator's own send lag (actual minus
 * intended), which says how far the pacing itself could be trusted. Merged across loops at the
 * end with {@link #add}. Not thread-safe.
 */
public final class StepRecorder {

  /** Longest latency tracked exactly; longer ones are recorded as this (a timeout is shorter anyway). */
  static final long MAX_TRACKED_NANOS = 120_000_000_000L;

  final Histogram latency = histogram();
  final Histogram serviceTime = histogram();
  final Histogram sendLag = histogram();
  final long[] rcodes = new long[16];
  long sent;
  long answered;
  long authenticData;
  long truncated;
  long timeouts;
  /** Responses to no outstanding query: arrived after their timeout, or never asked. */
  long unmatched;
  /** Queries never sent because every ID of every socket was outstanding. */
  long dropped;

  private static Histogram histogram() {
    return new Histogram(MAX_TRACKED_NANOS, 3);
  }

  void sent(long intendedNanos, long sentNanos) {
    sent++;
    sendLag.recordValue(clamp(sentNanos - intendedNanos));
  }

  void answered(ResponseHeader h, long intendedNanos, long sentNanos, long receivedNanos) {
    answered++;
    rcodes[h.rcode()]++;
    if (h.authenticData()) {
      authenticData++;
    }
    if (h.truncated()) {
      truncated++;
    }
    latency.recordValue(clamp(receivedNanos - intendedNanos));
    serviceTime.recordValue(clamp(receivedNanos - sentNanos));
  }

  private static long clamp(long nanos) {
    return Math.max(0, Math.min(nanos, MAX_TRACKED_NANOS));
  }

  void add(StepRecorder other) {
    latency.add(other.latency);
    serviceTime.add(other.serviceTime);
    sendLag.add(other.sendLag);
    for (int i = 0; i < rcodes.length; i++) {
      rcodes[i] += other.rcodes[i];
    }
    sent += other.sent;
    answered += other.answered;
    authenticData += other.authenticData;
    truncated += other.truncated;
    timeouts += other.timeouts;
    unmatched += other.unmatched;
    dropped += other.dropped;
  }
}
