package io.dnssecproxy.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The proxy's own counters and timers, named per Prometheus conventions. Meters are looked up
 * once per tag combination and kept, so the hot path costs a map lookup and an increment.
 */
public final class ProxyMetrics {

  private final MeterRegistry registry;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final Timer validationTimer;

  public ProxyMetrics(MeterRegistry registry) {
    this.registry = registry;
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
    counter("dnssec.proxy.verdicts", "Validation verdicts", "verdict", status).increment();
  }

  public void bogus(String ede) {
    counter("dnssec.proxy.bogus", "Bogus answers by Extended DNS Error", "ede", ede).increment();
  }

  public void action(String action) {
    counter("dnssec.proxy.answers", "Answers by policy action (answered, blocked, passed, stale, failed)", "action", action).increment();
  }

  public void cacheHit() {
    counter("dnssec.proxy.cache.hits", "Answer cache hits").increment();
  }

  public void cacheMiss() {
    counter("dnssec.proxy.cache.misses", "Answer cache misses").increment();
  }

  /** Cache hits since start, for the control API's statistics. */
  public long cacheHits() {
    return (long) counter("dnssec.proxy.cache.hits", "Answer cache hits").count();
  }

  public long cacheMisses() {
    return (long) counter("dnssec.proxy.cache.misses", "Answer cache misses").count();
  }

  public void upstreamFailure(String kind) {
    counter("dnssec.proxy.upstream.failures", "Questions no upstream answered", "kind", kind).increment();
  }

  public void validationTime(Duration d) {
    validationTimer.record(d);
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
