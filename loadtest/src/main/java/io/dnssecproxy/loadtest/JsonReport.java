package io.dnssecproxy.loadtest;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The same results as {@link TextReport}, as JSON for scripts and charts. Written by hand: the
 * shape is small and fixed, and the generator should not need a JSON library. Times are in
 * milliseconds; {@code latency_ms} is measured from the intended send time in open-loop steps.
 */
public final class JsonReport {

  private JsonReport() {}

  public static String of(RunInfo info, List<StepResult> steps) {
    StringBuilder b = new StringBuilder(1024);
    QueryFlags f = info.flags();
    b.append("{\n  \"tool\": \"dnssec-loadtest\",\n");
    b.append("  \"label\": ").append(str(info.label())).append(",\n");
    b.append("  \"server\": ").append(str(info.server())).append(",\n");
    b.append("  \"query_file\": ").append(str(info.queryFile())).append(",\n");
    b.append("  \"queries\": ").append(info.queries()).append(",\n");
    b.append("  \"flags\": {\"rd\": ").append(f.recursionDesired()).append(", \"do\": ").append(f.dnssecOk())
        .append(", \"cd\": ").append(f.checkingDisabled()).append(", \"edns\": ").append(f.ednsPayload()).append("},\n");
    b.append("  \"threads\": ").append(info.threads()).append(",\n");
    b.append("  \"sockets_per_thread\": ").append(info.sockets()).append(",\n");
    b.append("  \"transport\": ").append(str(info.transport())).append(",\n");
    b.append("  \"timeout_s\": ").append(num(info.timeoutSeconds())).append(",\n");
    b.append("  \"steps\": [");
    for (int i = 0; i < steps.size(); i++) {
      b.append(i == 0 ? "\n" : ",\n");
      step(b, steps.get(i));
    }
    b.append("\n  ]\n}\n");
    return b.toString();
  }

  private static void step(StringBuilder b, StepResult r) {
    b.append("    {\"mode\": ").append(str(r.openLoop() ? "open-loop" : "closed-loop"));
    b.append(", \"offered_qps\": ").append(r.openLoop() ? num(r.offeredQps()) : "null");
    b.append(", \"outstanding\": ").append(r.openLoop() ? "null" : Integer.toString(r.outstanding()));
    b.append(",\n     \"send_seconds\": ").append(num(r.sendSeconds()));
    b.append(", \"sent\": ").append(r.sent());
    b.append(", \"answered\": ").append(r.answered());
    b.append(", \"timeouts\": ").append(r.timeouts());
    b.append(", \"unmatched\": ").append(r.unmatched());
    b.append(", \"dropped\": ").append(r.dropped());
    b.append(", \"truncated\": ").append(r.truncated());
    b.append(",\n     \"qps\": ").append(num(r.qps()));
    b.append(", \"loss_pct\": ").append(num(r.lossPercent()));
    b.append(", \"ad\": ").append(r.authenticData());
    b.append(", \"ad_pct\": ").append(num(r.authenticDataPercent()));
    b.append(",\n     \"rcodes\": ").append(map(r.rcodes()));
    b.append(",\n     \"latency_ms\": ").append(pct(r.latency()));
    b.append(",\n     \"service_time_ms\": ").append(pct(r.serviceTime()));
    b.append(",\n     \"send_lag_ms\": ").append(pct(r.sendLag()));
    b.append("}");
  }

  private static String pct(Percentiles p) {
    return "{\"count\": " + p.count() + ", \"mean\": " + num(p.mean()) + ", \"p50\": " + num(p.p50())
        + ", \"p90\": " + num(p.p90()) + ", \"p99\": " + num(p.p99()) + ", \"p99.9\": " + num(p.p999())
        + ", \"max\": " + num(p.max()) + "}";
  }

  private static String map(Map<String, Long> m) {
    StringBuilder b = new StringBuilder("{");
    m.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(str(k)).append(": ").append(v));
    return b.append('}').toString();
  }

  static String num(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "null";
    }
    // six decimals keep nanoseconds of a millisecond figure; trailing zeros say nothing
    String s = String.format(Locale.ROOT, "%.6f", d);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  static String str(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
