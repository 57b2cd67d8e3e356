package io.dnssecproxy.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The proxy's own counters and timers, named per Prometheus conventions. Meters are looked up
 * once per tag combination and kept, so the hot path costs at most a map lookup (on a key it does
 * not have to build) and an increment.
 */
public final class ProxyMetrics {

  private final MeterRegistry registry;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final Timer validationTimer;
  private final Counter cacheHits;
  private final Counter cacheMisses;
  private final Counter prefetches;
  private final ConcurrentMap<String, Counter> verdicts = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> bogus = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> actions = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> synthesized = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> upstreamFailures = new ConcurrentHashMap<>();

  public ProxyMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.cacheHits = counter("dnssec.proxy.cache.hits", "Answer cache hits");
    this.cacheMisses = counter("dnssec.proxy.cache.misses", "Answer cache misses");
    this.prefetches = counter("dnssec.proxy.prefetches", "Cached answers refreshed from the upstream ahead of expiry, because they were asked for near it");
    this.validationTimer = Timer.builder("dnssec.proxy.validation.duration")
        .description("Time to validate one upstream response, key fetches included")
        .publishPercentileHistogram()
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Per (transport, qtype, rcode), looked up without building strings or boxing: this runs for
   * every answer. The usual combinations (UDP or TCP, qtype below 128, rcode below 16) sit in an
   * array slot each; the rest in a map.
   */
  private final AtomicReferenceArray<Counter> commonQueryCounters = new AtomicReferenceArray<>(2 * 128 * 16);
  private final ConcurrentMap<Long, Counter> otherQueryCounters = new ConcurrentHashMap<>();

  public void query(String transport, String qtype, String rcode) {
    counter("dnssec.proxy.queries", "Client queries answered", "transport", transport, "qtype", qtype, "rcode", rcode).increment();
  }

  /** The same counter as {@link #query(String, String, String)}, keyed by numbers on the hot path. */
  public void query(String transport, int qtype, int rcode) {
    int t = "udp".equals(transport) ? 0 : "tcp".equals(transport) ? 1 : -1;
    if (t >= 0 && qtype >= 0 && qtype < 128 && rcode >= 0 && rcode < 16) {
      int slot = (t * 128 + qtype) * 16 + rcode;
      Counter c = commonQueryCounters.get(slot);
      if (c == null) {
        c = queryCounter(transport, qtype, rcode); // the registry hands every caller the same meter
        commonQueryCounters.set(slot, c);
      }
      c.increment();
      return;
    }
    long key = ((long) transport.hashCode() << 32) | ((long) (qtype & 0xffff) << 16) | (rcode & 0xffff);
    otherQueryCounters.computeIfAbsent(key, k -> queryCounter(transport, qtype, rcode)).increment();
  }

  private Counter queryCounter(String transport, int qtype, int rcode) {
    return counter("dnssec.proxy.queries", "Client queries answered",
        "transport", transport, "qtype", org.xbill.DNS.Type.string(qtype), "rcode", org.xbill.DNS.Rcode.string(rcode));
  }

  public void verdict(String status) {
    tagged(verdicts, "dnssec.proxy.verdicts", "Validation verdicts", "verdict", status).increment();
  }

  /** An answer proven from held NSEC/NSEC3 records without asking the upstream (RFC 8198), by kind. */
  public void synthesized(String kind) {
    tagged(synthesized, "dnssec.proxy.synthesized", "Answers proven from held NSEC/NSEC3 records without an upstream query (RFC 8198)",
        "kind", kind).increment();
  }

  public void bogus(String ede) {
    tagged(bogus, "dnssec.proxy.bogus", "Bogus answers by Extended DNS Error", "ede", ede).increment();
  }

  public void action(String action) {
    tagged(actions, "dnssec.proxy.answers", "Answers by policy action (answered, blocked, passed, stale, failed)", "action", action).increment();
  }

  public void cacheHit() {
    cacheHits.increment();
  }

  public void cacheMiss() {
    cacheMisses.increment();
  }

  public void prefetch() {
    prefetches.increment();
  }

  /** Cache hits since start, for the control API's statistics. */
  public long cacheHits() {
    return (long) cacheHits.count();
  }

  public long cacheMisses() {
    return (long) cacheMisses.count();
  }

  public void upstreamFailure(String kind) {
    tagged(upstreamFailures, "dnssec.proxy.upstream.failures", "Questions no upstream answered", "kind", kind).increment();
  }

  public void validationTime(Duration d) {
    validationTimer.record(d);
  }

  /** A meter with one tag, kept per tag value: no key string is built per call (this runs per answer). */
  private Counter tagged(ConcurrentMap<String, Counter> byValue, String name, String help, String tag, String value) {
    Counter c = byValue.get(value);
    if (c == null) {
      c = byValue.computeIfAbsent(value, v -> counter(name, help, tag, v));
    }
    return c;
  }

  private Counter counter(String name, String help, String... tags) {
    String key = name + String.join("|", tags);
    Counter c = counters.get(key);
    if (c == null) {
      c = counters.computeIfAbsent(key, k -> Counter.builder(name).description(help).tags(tags).register(registry));
    }
    return c;
  }
}
