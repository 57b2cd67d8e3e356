package io.dnssecproxy.observe;

import io.dnssecproxy.validation.Ede;
import io.dnssecproxy.validation.Trace;
import io.dnssecproxy.validation.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * Renders a validation trace as a tree of zones, from the trust anchor down, each zone with its
 * steps (DS, DNSKEY, signatures, denial proofs), the failed link marked, and the verdict last.
 * Also as JSON, for tools.
 */
public final class TraceReport {

  private TraceReport() {}

  public static String text(String question, String rcode, Trace trace, Verdict verdict) {
    Map<Name, List<Trace.Step>> byZone = new LinkedHashMap<>();
    for (Trace.Step s : trace.steps()) {
      byZone.computeIfAbsent(s.zone(), z -> new ArrayList<>()).add(s);
    }
    List<Name> zones = new ArrayList<>(byZone.keySet());
    zones.sort((a, b) -> Integer.compare(a.labels(), b.labels()));
    StringBuilder out = new StringBuilder();
    out.append(question).append("  (upstream rcode ").append(rcode).append(")\n");
    for (Name zone : zones) {
      String indent = "  ".repeat(depth(zone, zones));
      out.append(indent).append(zone).append('\n');
      for (Trace.Step s : byZone.get(zone)) {
        out.append(indent).append("  ").append(mark(s.outcome())).append(' ').append(s.subject()).append(": ").append(s.detail());
        if (s.outcome() == Trace.Outcome.FAILED) {
          out.append("   <== failed link");
        }
        out.append('\n');
      }
    }
    out.append("verdict: ").append(verdict.status());
    if (verdict.ede() != Ede.NONE) {
      out.append("  EDE ").append(verdict.ede()).append(" (").append(Ede.name(verdict.ede())).append(')');
    }
    if (!verdict.isSecure() && !verdict.reasons().isEmpty()) {
      out.append("\nreason: ").append(verdict.reasonText());
    }
    return out.append('\n').toString();
  }

  /** How many traced zones are proper ancestors of this one: its depth in the tree. */
  private static int depth(Name zone, List<Name> zones) {
    int d = 0;
    for (Name other : zones) {
      if (!other.equals(zone) && zone.subdomain(other)) {
        d++;
      }
    }
    return d;
  }

  private static String mark(Trace.Outcome o) {
    return switch (o) {
      case OK -> "[ok]      ";
      case INSECURE -> "[insecure]";
      case FAILED -> "[FAILED]  ";
      case INFO -> "[info]    ";
    };
  }

  public static String json(String name, String type, String rcode, Trace trace, Verdict verdict) {
    StringBuilder sb = new StringBuilder(512);
    sb.append("{\"name\":").append(quote(name)).append(",\"type\":").append(quote(type)).append(",\"rcode\":").append(quote(rcode));
    sb.append(",\"verdict\":").append(quote(verdict.status().tag())).append(",\"ede\":").append(verdict.ede());
    sb.append(",\"reasons\":[");
    for (int i = 0; i < verdict.reasons().size(); i++) {
      sb.append(i > 0 ? "," : "").append(quote(verdict.reasons().get(i)));
    }
    sb.append("],\"steps\":[");
    List<Trace.Step> steps = trace.steps();
    for (int i = 0; i < steps.size(); i++) {
      Trace.Step s = steps.get(i);
      sb.append(i > 0 ? "," : "").append("{\"zone\":").append(quote(s.zone().toString()))
          .append(",\"subject\":").append(quote(s.subject()))
          .append(",\"detail\":").append(quote(s.detail()))
          .append(",\"outcome\":").append(quote(s.outcome().name().toLowerCase(java.util.Locale.ROOT))).append('}');
    }
    return sb.append("]}").toString();
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
