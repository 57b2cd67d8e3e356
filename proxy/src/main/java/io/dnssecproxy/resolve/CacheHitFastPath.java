package io.dnssecproxy.resolve;

import io.dnssecproxy.cache.CacheKey;
import io.dnssecproxy.cache.CachedAnswer;
import io.dnssecproxy.cache.ResponseCache;
import io.dnssecproxy.cache.WireTemplate;
import io.dnssecproxy.observe.ProxyMetrics;
import io.dnssecproxy.policy.Action;
import io.dnssecproxy.policy.AnswerBuilder;
import io.dnssecproxy.server.Transport;
import io.dnssecproxy.validation.Ede;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Answers the commonest query there is, a plain question whose validated answer is cached,
 * straight from bytes: a few header checks instead of a full parse, a copy of the answer's
 * pre-encoded template, and patches. Anything unusual (CD, EDNS options, bogus or EDE-carrying
 * answers, stale entries, a UDP answer that would need TC) returns null and takes the normal
 * path through {@link QueryPipeline}, so both paths give the same bytes.
 */
final class CacheHitFastPath {

  private final ResponseCache cache;
  private final ProxyMetrics metrics;
  private final Clock wallClock;
  private final Consumer<CacheKey> prefetch;
  private final AnswerBuilder answers = new AnswerBuilder();

  /** @param prefetch told of each hit on an answer due for a refresh ({@link Prefetch}); null: prefetch is off */
  CacheHitFastPath(ResponseCache cache, ProxyMetrics metrics, Clock wallClock, Consumer<CacheKey> prefetch) {
    this.cache = cache;
    this.metrics = metrics;
    this.wallClock = wallClock;
    this.prefetch = prefetch;
  }

  /** Pre-encodes an answer about to be cached, for DO and non-DO clients; unchanged when it must not be fast-pathed. */
  CachedAnswer withTemplates(CacheKey key, CachedAnswer a) {
    if (a.verdict().isBogus() || a.verdict().ede() != Ede.NONE || a.ttlSeconds() <= 0) {
      return a;
    }
    return a.withTemplates(template(key, a, true), template(key, a, false));
  }

  private WireTemplate template(CacheKey key, CachedAnswer a, boolean dnssecOk) {
    return WireTemplate.of(DirectResponses.normalAnswer(answers, key.name(), key.type(), key.dclass(), dnssecOk,
        a.response(), a.verdict(), a.ttlSeconds()).toWire());
  }

  /**
   * The response bytes for {@code q}, or null when the normal path must answer it.
   *
   * @param maxUdp the largest UDP response the front-end sends (ignored for TCP)
   */
  byte[] answer(PlainQuery q, Transport transport, int maxUdp) {
    Instant now = wallClock.instant();
    CachedAnswer a = cache.get(q.key(), now);
    WireTemplate t = a == null ? null : q.dnssecOk() ? a.withDnssec() : a.withoutDnssec();
    if (t == null) {
      return null;
    }
    long age = Math.max(0, a.ageSeconds(now));
    byte[] out = t.render(q.wire(), age, q.edns() ? PlainQuery.OPT_LENGTH : 0);
    if (DirectResponses.finish(out, q, a.verdict().isSecure(), transport, maxUdp) == null) {
      return null; // needs truncation: the normal path knows how
    }
    metrics.cacheHit();
    metrics.action(Action.ANSWERED.tag());
    metrics.query(transport.tag(), q.qtype(), out[3] & 0x0f);
    if (prefetch != null && Prefetch.due(a.ttlSeconds(), age)) {
      prefetch.accept(q.key());
    }
    return out;
  }
}
