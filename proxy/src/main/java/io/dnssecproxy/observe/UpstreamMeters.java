package io.dnssecproxy.observe;

import io.dnssecproxy.config.HostPort;
import io.dnssecproxy.upstream.UpstreamMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link UpstreamMetrics} as Micrometer meters, labelled {@code upstream="IP:PORT"}. The meters of
 * the configured upstreams are registered at zero up front, so rate() works from the first scrape.
 */
public final class UpstreamMeters implements UpstreamMetrics {

  /** Latency buckets: a local cluster DNS answers in a millisecond, a far one in a few hundred. */
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20),
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(500),
    Duration.ofSeconds(1), Duration.ofSeconds(2)
  };

  /** The meters of one upstream server. */
  private static final class PerUpstream {
    final Counter queries;
    final Counter timeouts;
    final Counter networkErrors;
    final Counter tcpFallbacks;
    final Counter markedDown;
    final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
    final Timer latency;
    final AtomicInteger up = new AtomicInteger(1);

    PerUpstream(MeterRegistry r, String upstream) {
      queries = counter(r, "dnssec.proxy.upstream.queries", "Queries sent to the upstream (each try, UDP and TCP)", upstream);
      timeouts = counter(r, "dnssec.proxy.upstream.timeouts", "Tries that got no acceptable answer in time", upstream);
      networkErrors = counter(r, "dnssec.proxy.upstream.network.errors",
          "Tries that failed at the socket level (send failed, connection refused or closed)", upstream);
      tcpFallbacks = counter(r, "dnssec.proxy.upstream.tcp.fallbacks", "Truncated UDP answers asked again over TCP", upstream);
      markedDown = counter(r, "dnssec.proxy.upstream.marked.down", "Times the upstream was marked down after repeated failures", upstream);
      for (DropReason reason : DropReason.values()) {
        dropped.put(reason, Counter.builder("dnssec.proxy.upstream.responses.dropped")
            .description("Responses ignored: wrong source, malformed, not a response, wrong ID or question (spoofing or late answers)")
            .tag("upstream", upstream).tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(r));
      }
      latency = Timer.builder("dnssec.proxy.upstream.latency")
          .description("Time from sending a query to accepting its answer, TCP retry included")
          .tag("upstream", upstream)
          .serviceLevelObjectives(LATENCY_BUCKETS)
          .register(r);
      Gauge.builder("dnssec.proxy.upstream.up", up, AtomicInteger::get)
          .description("1 while the upstream is in use, 0 while it is marked down")
          .tag("upstream", upstream).register(r);
    }

    private static Counter counter(MeterRegistry r, String name, String help, String upstream) {
      return Counter.builder(name).description(help).tag("upstream", upstream).register(r);
    }
  }

  private final MeterRegistry registry;
  private final Map<InetSocketAddress, PerUpstream> upstreams = new ConcurrentHashMap<>();
  private final Map<List<InetSocketAddress>, Counter> failovers = new ConcurrentHashMap<>();

  public UpstreamMeters(MeterRegistry registry, List<InetSocketAddress> configured) {
    this.registry = registry;
    configured.forEach(this::of);
  }

  private PerUpstream of(InetSocketAddress upstream) {
    return upstreams.computeIfAbsent(upstream, u -> new PerUpstream(registry, HostPort.format(u)));
  }

  @Override
  public void query(InetSocketAddress upstream) {
    of(upstream).queries.increment();
  }

  @Override
  public void timeout(InetSocketAddress upstream) {
    of(upstream).timeouts.increment();
  }

  @Override
  public void networkError(InetSocketAddress upstream) {
    of(upstream).networkErrors.increment();
  }

  @Override
  public void responseDropped(InetSocketAddress upstream, DropReason reason) {
    of(upstream).dropped.get(reason).increment();
  }

  @Override
  public void tcpFallback(InetSocketAddress upstream) {
    of(upstream).tcpFallbacks.increment();
  }

  @Override
  public void failover(InetSocketAddress from, InetSocketAddress to) {
    failovers.computeIfAbsent(List.of(from, to), k -> Counter.builder("dnssec.proxy.upstream.failovers")
        .description("Questions moved on from one upstream (upstream) to the next (next)")
        .tag("upstream", HostPort.format(from)).tag("next", HostPort.format(to)).register(registry)).increment();
  }

  @Override
  public void latency(InetSocketAddress upstream, Duration latency) {
    of(upstream).latency.record(latency);
  }

  @Override
  public void markedDown(InetSocketAddress upstream, Duration backoff) {
    PerUpstream p = of(upstream);
    p.markedDown.increment();
    p.up.set(0);
  }

  @Override
  public void markedUp(InetSocketAddress upstream) {
    of(upstream).up.set(1);
  }
}
