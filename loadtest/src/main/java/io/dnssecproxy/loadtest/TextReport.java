package io.dnssecproxy.loadtest;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A fixed-width table for people: one row per step. Latency columns are milliseconds from the
 * intended send time (open loop) or from the send (closed loop).
 */
public final class TextReport {

  private TextReport() {}

  public static String header(RunInfo info) {
    QueryFlags f = info.flags();
    return String.format(Locale.ROOT,
        "# %s: %s, %d queries from %s, RD=%d DO=%d CD=%d EDNS=%d, %d thread(s) x %d socket(s), %s, timeout %.1f s%n",
        info.label(), info.server(), info.queries(), info.queryFile(), bit(f.recursionDesired()), bit(f.dnssecOk()),
        bit(f.checkingDisabled()), f.ednsPayload(), info.threads(), info.sockets(), info.transport(), info.timeoutSeconds())
        + String.format(Locale.ROOT, "%-12s %9s %9s %10s %7s %8s %8s %8s %8s %8s %8s %6s  %s%n",
            "load", "sent", "answered", "qps", "loss%", "timeouts", "p50", "p90", "p99", "p99.9", "max", "AD%", "rcodes");
  }

  public static String row(StepResult r) {
    String load = r.openLoop() ? String.format(Locale.ROOT, "%.0f/s", r.offeredQps()) : "c=" + r.outstanding();
    Percentiles l = r.latency();
    return String.format(Locale.ROOT, "%-12s %9d %9d %10.1f %7.2f %8d %8.3f %8.3f %8.3f %8.3f %8.3f %6.1f  %s%n",
        load, r.sent(), r.answered(), r.qps(), r.lossPercent(), r.timeouts(), l.p50(), l.p90(), l.p99(), l.p999(), l.max(),
        r.authenticDataPercent(), rcodes(r.rcodes()));
  }

  /** Extra lines when something needs a second look: pacing lag, stray answers, TC, drops. */
  public static String notes(StepResult r) {
    StringBuilder b = new StringBuilder();
    if (r.openLoop()) {
      b.append(String.format(Locale.ROOT, "    send lag p50/p99/max %.3f/%.3f/%.3f ms; service time p50/p99 %.3f/%.3f ms%n",
          r.sendLag().p50(), r.sendLag().p99(), r.sendLag().max(), r.serviceTime().p50(), r.serviceTime().p99()));
    }
    if (r.unmatched() > 0 || r.truncated() > 0 || r.dropped() > 0) {
      b.append(String.format(Locale.ROOT, "    unmatched %d, truncated %d, dropped (no free ID) %d%n",
          r.unmatched(), r.truncated(), r.dropped()));
    }
    return b.toString();
  }

  static String rcodes(Map<String, Long> rcodes) {
    return rcodes.isEmpty() ? "-" : rcodes.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
  }

  private static int bit(boolean b) {
    return b ? 1 : 0;
  }
}
