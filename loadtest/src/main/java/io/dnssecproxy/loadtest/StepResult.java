package io.dnssecproxy.loadtest;

import java.util.LinkedHashMap;
import java.util.Map;
import org.xbill.DNS.Rcode;

/**
 * One step of a run, summarized.
 *
 * @param offeredQps the open-loop rate, or 0 in closed-loop mode
 * @param outstanding the closed-loop window, or 0 in open-loop mode
 * @param sendSeconds how long queries were being sent (the QPS denominator)
 * @param qps answers per second of sending
 */
public record StepResult(
    double offeredQps,
    int outstanding,
    double sendSeconds,
    long sent,
    long answered,
    long timeouts,
    long unmatched,
    long dropped,
    long authenticData,
    long truncated,
    Map<String, Long> rcodes,
    double qps,
    Percentiles latency,
    Percentiles serviceTime,
    Percentiles sendLag) {

  public static StepResult of(double offeredQps, int outstanding, double sendSeconds, StepRecorder r) {
    Map<String, Long> rc = new LinkedHashMap<>();
    for (int i = 0; i < r.rcodes.length; i++) {
      if (r.rcodes[i] > 0) {
        rc.put(Rcode.string(i), r.rcodes[i]);
      }
    }
    double qps = sendSeconds > 0 ? r.answered / sendSeconds : 0;
    return new StepResult(offeredQps, outstanding, sendSeconds, r.sent, r.answered, r.timeouts, r.unmatched, r.dropped,
        r.authenticData, r.truncated, rc, qps,
        Percentiles.of(r.latency), Percentiles.of(r.serviceTime), Percentiles.of(r.sendLag));
  }

  /** Queries that got no answer in time, as a percentage of those offered (sent or dropped). */
  public double lossPercent() {
    long offered = sent + dropped;
    return offered == 0 ? 0 : 100.0 * (timeouts + dropped) / offered;
  }

  public double authenticDataPercent() {
    return answered == 0 ? 0 : 100.0 * authenticData / answered;
  }

  public boolean openLoop() {
    return offeredQps > 0;
  }
}
