package io.dnssecproxy.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes one JSON line per validation failure or permissive pass-through. Lines are rate-limited
 * per (name, reason): a hot bogus name logs once per interval. Every suppressed line is counted
 * and the count is written exactly once: in the next line for the pair, or in a
 * {@code validation-suppressed} summary line when the window is closed by
 * {@link #reportSuppressed()} (called periodically), pushed out of the full window table, or
 * flushed by {@link #reportAllSuppressed()} at shutdown. Windows live on the injected clock.
 */
public final class EventLog {

  static final int DEFAULT_MAX_WINDOWS = 10_000;
  /**
   * Lines per interval at most, all pairs together: a flood of fresh bogus names (random
   * subdomains of a broken or hostile zone) would otherwise write a line per query.
   */
  static final int DEFAULT_MAX_LINES_PER_INTERVAL = 500;

  /** The rate-limit state of one (name, reason) pair. */
  private static final class Window {
    final String name;
    final String reason;
    Instant opened;
    long suppressed;

    Window(String name, String reason) {
      this.name = name;
      this.reason = reason;
    }
  }

  private final Consumer<String> sink;
  private final Clock clock;
  private final Duration interval;
  private final int maxWindows;
  private final int maxLinesPerInterval;
  /** The global line budget's current interval, and what it wrote and held back. Guarded by windows. */
  private Instant budgetOpened;
  private int budgetLines;
  private long overBudget;
  /** Access-ordered, so the table sheds the least recently used pair when full. Guarded by itself. */
  private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>(64, 0.75f, true);
  private long suppressedTotal;

  public EventLog(Consumer<String> sink, Clock clock, Duration interval) {
    this(sink, clock, interval, DEFAULT_MAX_WINDOWS, DEFAULT_MAX_LINES_PER_INTERVAL);
  }

  EventLog(Consumer<String> sink, Clock clock, Duration interval, int maxWindows, int maxLinesPerInterval) {
    this.sink = sink;
    this.clock = clock;
    this.interval = interval;
    this.maxWindows = maxWindows;
    this.maxLinesPerInterval = maxLinesPerInterval;
  }

  /** The usual sink: standard output, one line at a time. */
  public static EventLog toStdout(Clock clock) {
    return new EventLog(line -> {
      synchronized (System.out) {
        System.out.println(line);
      }
    }, clock, Duration.ofSeconds(10));
  }

  /** Where lines go; other JSON-line logs (control changes) share it so stdout stays one stream. */
  public Consumer<String> sink() {
    return sink;
  }

  /** How long one (name, reason) pair stays quiet after a line; also how often to call {@link #reportSuppressed()}. */
  public Duration interval() {
    return interval;
  }

  public void record(ValidationEvent e) {
    String reason = e.reasons().isEmpty() ? "" : e.reasons().get(e.reasons().size() - 1);
    String key = e.name() + "|" + reason;
    Instant now = clock.instant();
    List<String> out = new ArrayList<>(2);
    synchronized (windows) {
      Window w = windows.get(key);
      if (w != null && now.isBefore(w.opened.plus(interval))) {
        w.suppressed++;
        suppressedTotal++;
        return;
      }
      if (!withinBudget(now, out)) {
        overBudget++;
        suppressedTotal++;
        return;
      }
      long suppressed = 0;
      if (w == null) {
        makeRoom(now, out);
        w = new Window(e.name(), reason);
        windows.put(key, w);
      } else {
        suppressed = w.suppressed;
      }
      w.opened = now;
      w.suppressed = 0;
      out.add(format(e, suppressed));
    }
    out.forEach(sink);
  }

  /** Takes one line from the global budget; false when this interval's is spent. */
  private boolean withinBudget(Instant now, List<String> out) {
    if (budgetOpened == null || !now.isBefore(budgetOpened.plus(interval))) {
      summarizeOverBudget(now, out);
      budgetOpened = now;
      budgetLines = 0;
    }
    return ++budgetLines <= maxLinesPerInterval;
  }

  private void summarizeOverBudget(Instant now, List<String> out) {
    if (overBudget > 0) {
      out.add(new JsonLine(now, "validation-suppressed")
          .field("name", "*")
          .field("reason", "more than " + maxLinesPerInterval + " validation lines in " + interval.toSeconds() + " s")
          .field("since", budgetOpened.toString())
          .field("suppressed", overBudget)
          .toString());
      overBudget = 0;
    }
  }

  /**
   * Closes every window whose interval has passed, writing a summary line for each that
   * suppressed something. Call it about once per {@link #interval()}.
   */
  public void reportSuppressed() {
    report(false);
  }

  /** Writes the summary of every window that suppressed something, ended or not: for shutdown. */
  public void reportAllSuppressed() {
    report(true);
  }

  private void report(boolean all) {
    Instant now = clock.instant();
    List<String> out = new ArrayList<>();
    synchronized (windows) {
      for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
        Window w = it.next();
        if (all || !now.isBefore(w.opened.plus(interval))) {
          summarize(w, now, out);
          it.remove();
        }
      }
      if (all || (budgetOpened != null && !now.isBefore(budgetOpened.plus(interval)))) {
        summarizeOverBudget(now, out);
      }
    }
    out.forEach(sink);
  }

  /** Sheds the least recently used pair when the table is full, writing its count first. */
  private void makeRoom(Instant now, List<String> out) {
    if (windows.size() >= maxWindows) {
      Iterator<Map.Entry<String, Window>> eldest = windows.entrySet().iterator();
      summarize(eldest.next().getValue(), now, out);
      eldest.remove();
    }
  }

  private static void summarize(Window w, Instant now, List<String> out) {
    if (w.suppressed > 0) {
      out.add(new JsonLine(now, "validation-suppressed")
          .field("name", w.name)
          .field("reason", w.reason)
          .field("since", w.opened.toString())
          .field("suppressed", w.suppressed)
          .toString());
    }
  }

  /** Lines not written because of the rate limit, since start. */
  public long suppressedTotal() {
    synchronized (windows) {
      return suppressedTotal;
    }
  }

  /** Pairs currently rate-limited. */
  int openWindows() {
    synchronized (windows) {
      return windows.size();
    }
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
