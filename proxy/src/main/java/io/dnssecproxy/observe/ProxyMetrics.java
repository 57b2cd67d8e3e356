package io.dnssecproxy.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

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
  private final ConcurrentMap<String, Counter> verdicts = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> bogus = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> actions = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> upstreamFailures = new ConcurrentHashMap<>();

  public ProxyMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.cacheHits = counter("dnssec.proxy.cache.hits", "Answer cache hits");
    this.cacheMisses = counter("dnssec.proxy.cache.misses", "Answer cache misses");
    this.validationTimer = Timer.builder("dnssec.proxy.validation.duration")
        .description("Time to validate one upstream response, key fetches included")
        .publishPercentileHistogram()
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Per (transport, qtype, rcode), looked up without building strings: this runs for every answer. */
  private final ConcurrentMap<Long, Counter> queryCounters = new ConcurrentHashMap<>();

  public void query(String transport, String qtype, String rcode) {
    counter("dnssec.proxy.queries", "Client queries answered", "transport", transport, "qtype", qtype, "rcode", rcode).increment();
  }

  /** The same counter as {@link #query(String, String, String)}, keyed by numbers on the hot path. */
  public void query(String transport, int qtype, int rcode) {
    long key = ((long) transport.hashCode() << 32) | ((long) (qtype & 0xffff) << 16) | (rcode & 0xffff);
    Counter c = queryCounters.get(key);
    if (c == null) {
      c = queryCounters.computeIfAbsent(key, k -> counter("dnssec.proxy.queries", "Client queries answered",
          "transport", transport, "qtype", org.xbill.DNS.Type.string(qtype), "rcode", org.xbill.DNS.Rcode.string(rcode)));
    }
    c.increment();
  }

  public void verdict(String status) {
    tagged(verdicts, "dnssec.proxy.verdicts", "Validation verdicts", "verdict", status).increment();
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
