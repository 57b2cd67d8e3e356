package io.dnssecproxy.observe;

import java.time.Clock;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * One JSON line per change made to the running proxy (mode, insecure domains, cache flush) and
 * per policy file refused, on the same stream as the event log, e.g.
 * {@code {"time":"…","event":"control","source":"api","client":"127.0.0.1","change":"mode","from":"enforce","to":"permissive"}}.
 */
public final class ChangeLog {

  private final Consumer<String> sink;
  private final Clock clock;

  public ChangeLog(Consumer<String> sink, Clock clock) {
    this.sink = sink;
    this.clock = clock;
  }

  public void modeChanged(ChangeSource source, String from, String to) {
    sink.accept(change(source, "mode").field("from", from).field("to", to).toString());
  }

  public void insecureDomainsChanged(ChangeSource source, Collection<String> added, Collection<String> removed) {
    sink.accept(change(source, "insecure-domains").field("added", added).field("removed", removed).toString());
  }

  /** @param name the flushed subtree, or null for everything */
  public void cacheFlushed(ChangeSource source, String name, long answers, long keys) {
    sink.accept(change(source, "cache-flush").field("name", name == null ? "all" : name)
        .field("answers", answers).field("keys", keys).toString());
  }

  /** A policy file (or the directory) could not be used; what was in force stays in force. */
  public void policyRejected(String file, String error) {
    sink.accept(new JsonLine(clock.instant(), "policy-rejected").field("source", ChangeSource.POLICY_DIR.kind())
        .field("file", file).field("error", error).toString());
  }

  private JsonLine change(ChangeSource source, String what) {
    return new JsonLine(clock.instant(), "control").field("source", source.kind()).field("client", source.client())
        .field("change", what);
  }
}
