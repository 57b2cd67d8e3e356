package io.dnssecproxy.observe;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Writes one JSON line per validation failure or permissive pass-through. Lines are rate-limited
 * per (name, reason): a hot bogus name logs once per interval, and the next line it gets says
 * how many were suppressed meanwhile, so nothing disappears without a count.
 */
public final class EventLog {

  private static final class Window {
    Instant opened;
    long suppressed;
  }

  private final Consumer<String> sink;
  private final Clock clock;
  private final Duration interval;
  private final Cache<String, Window> windows;
  private final LongAdder suppressedTotal = new LongAdder();

  public EventLog(Consumer<String> sink, Clock clock, Duration interval) {
    this.sink = sink;
    this.clock = clock;
    this.interval = interval;
    this.windows = Caffeine.newBuilder().maximumSize(10_000).expireAfterAccess(interval.multipliedBy(4)).build();
  }

  /** The usual sink: standard output, one line at a time. */
  public static EventLog toStdout(Clock clock) {
    return new EventLog(line -> {
      synchronized (System.out) {
        System.out.println(line);
      }
    }, clock, Duration.ofSeconds(10));
  }

  public void record(ValidationEvent e) {
    String key = e.name() + "|" + (e.reasons().isEmpty() ? "" : e.reasons().get(e.reasons().size() - 1));
    Instant now = clock.instant();
    long suppressed;
    Window w = windows.get(key, k -> new Window());
    synchronized (w) {
      if (w.opened != null && now.isBefore(w.opened.plus(interval))) {
        w.suppressed++;
        suppressedTotal.increment();
        return;
      }
      suppressed = w.suppressed;
      w.opened = now;
      w.suppressed = 0;
    }
    sink.accept(format(e, suppressed));
  }

  /** Lines not written because of the rate limit, since start. */
  public long suppressedTotal() {
    return suppressedTotal.sum();
  }

  static String format(ValidationEvent e, long suppressed) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"time\":");
    Json.appendString(sb, e.time().toString());
    field(sb, "event", "validation");
    field(sb, "client", e.client());
    field(sb, "name", e.name());
    field(sb, "type", e.type());
    field(sb, "verdict", e.verdict());
    sb.append(",\"ede\":").append(e.ede());
    sb.append(",\"reason\":[");
    for (int i = 0; i < e.reasons().size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      Json.appendString(sb, e.reasons().get(i));
    }
    sb.append(']');
    field(sb, "mode", e.mode());
    field(sb, "namespace", e.namespace());
    field(sb, "action", e.action());
    if (suppressed > 0) {
      sb.append(",\"suppressed\":").append(suppressed);
    }
    return sb.append('}').toString();
  }

  private static void field(StringBuilder sb, String name, String value) {
    sb.append(",\"").append(name).append("\":");
    if (value == null) {
      sb.append("null");
    } else {
      Json.appendString(sb, value);
    }
  }
}
