package io.dnssecproxy.control;

import io.dnssecproxy.cache.ResponseCache;
import io.dnssecproxy.observe.ChangeLog;
import io.dnssecproxy.observe.ChangeSource;
import io.dnssecproxy.observe.ProxyMetrics;
import io.dnssecproxy.validation.KeyCache;
import org.xbill.DNS.Name;

/**
 * Flushing and statistics of the answer and key caches for operators. A flush forgets both the
 * answers and the zone keys at or below the name: after a zone is fixed, a cached bad key would
 * otherwise make the fresh answer bogus again for the bogus-TTL.
 */
public final class CacheControl {

  /** What a flush removed. */
  public record Flushed(long answers, long keys) {}

  /** Cache statistics for the status report. */
  public record Stats(long entries, long hits, long misses, long evictions, long keyEntries) {}

  private final ResponseCache answers;
  private final KeyCache keys;
  private final ProxyMetrics metrics;
  private final ChangeLog log;

  public CacheControl(ResponseCache answers, KeyCache keys, ProxyMetrics metrics, ChangeLog log) {
    this.answers = answers;
    this.keys = keys;
    this.metrics = metrics;
    this.log = log;
  }

  /** @param name the subtree to forget, or null for everything */
  public Flushed flush(Name name, ChangeSource source) {
    long answersBefore = answers.size();
    long keysBefore = keys.size();
    if (name == null) {
      answers.flushAll();
      keys.clear();
    } else {
      answers.flush(name);
      keys.flush(name.canonicalize());
    }
    Flushed f = new Flushed(Math.max(0, answersBefore - answers.size()), Math.max(0, keysBefore - keys.size()));
    log.cacheFlushed(source, name == null ? null : name.toString(), f.answers(), f.keys());
    return f;
  }

  public Stats stats() {
    return new Stats(answers.size(), metrics.cacheHits(), metrics.cacheMisses(), answers.evictions(), keys.size());
  }
}
