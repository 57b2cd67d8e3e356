package io.dnssecproxy.observe;

import static io.dnssecproxy.observe.ScrapeAssertions.assertScrapeHas;

import io.dnssecproxy.upstream.UpstreamMetrics.DropReason;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamMetersTest {

  private static final InetSocketAddress A = new InetSocketAddress("10.96.0.10", 53);
  private static final InetSocketAddress B = new InetSocketAddress("10.96.0.11", 5353);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final UpstreamMeters meters = new UpstreamMeters(registry, List.of(A, B));

  @Test
  void configuredUpstreamsShowAtZeroBeforeAnyTraffic() {
    assertScrapeHas(registry,
        "dnssec_proxy_upstream_queries_total{upstream=\"10.96.0.10:53\"} 0.0",
        "dnssec_proxy_upstream_timeouts_total{upstream=\"10.96.0.11:5353\"} 0.0",
        "dnssec_proxy_upstream_responses_dropped_total{reason=\"wrong_id\",upstream=\"10.96.0.10:53\"} 0.0",
        "dnssec_proxy_upstream_up{upstream=\"10.96.0.11:5353\"} 1.0");
  }

  @Test
  void eachEventCountsOnItsUpstream() {
    meters.query(A);
    meters.query(A);
    meters.query(B);
    meters.timeout(A);
    meters.networkError(B);
    meters.tcpFallback(A);
    meters.responseDropped(A, DropReason.WRONG_SOURCE);
    meters.responseDropped(A, DropReason.WRONG_QUESTION);
    meters.responseDropped(A, DropReason.WRONG_QUESTION);
    assertScrapeHas(registry,
        "# TYPE dnssec_proxy_upstream_queries_total counter",
        "dnssec_proxy_upstream_queries_total{upstream=\"10.96.0.10:53\"} 2.0",
        "dnssec_proxy_upstream_queries_total{upstream=\"10.96.0.11:5353\"} 1.0",
        "dnssec_proxy_upstream_timeouts_total{upstream=\"10.96.0.10:53\"} 1.0",
        "dnssec_proxy_upstream_network_errors_total{upstream=\"10.96.0.11:5353\"} 1.0",
        "dnssec_proxy_upstream_tcp_fallbacks_total{upstream=\"10.96.0.10:53\"} 1.0",
        "dnssec_proxy_upstream_responses_dropped_total{reason=\"wrong_source\",upstream=\"10.96.0.10:53\"} 1.0",
        "dnssec_proxy_upstream_responses_dropped_total{reason=\"wrong_question\",upstream=\"10.96.0.10:53\"} 2.0");
  }

  @Test
  void failoversAreLabelledWithTheUpstreamLeftAndTheNextOne() {
    meters.failover(A, B);
    meters.failover(A, B);
    meters.failover(B, A);
    assertScrapeHas(registry,
        "dnssec_proxy_upstream_failovers_total{next=\"10.96.0.11:5353\",upstream=\"10.96.0.10:53\"} 2.0",
        "dnssec_proxy_upstream_failovers_total{next=\"10.96.0.10:53\",upstream=\"10.96.0.11:5353\"} 1.0");
  }

  @Test
  void latencyIsAHistogramInSecondsPerUpstream() {
    meters.latency(A, Duration.ofMillis(3));
    meters.latency(A, Duration.ofMillis(150));
    assertScrapeHas(registry,
        "# TYPE dnssec_proxy_upstream_latency_seconds histogram",
        "dnssec_proxy_upstream_latency_seconds_bucket{upstream=\"10.96.0.10:53\",le=\"0.005\"} 1",
        "dnssec_proxy_upstream_latency_seconds_bucket{upstream=\"10.96.0.10:53\",le=\"0.2\"} 2",
        "dnssec_proxy_upstream_latency_seconds_count{upstream=\"10.96.0.10:53\"} 2",
        "dnssec_proxy_upstream_latency_seconds_sum{upstream=\"10.96.0.10:53\"} 0.153",
        "dnssec_proxy_upstream_latency_seconds_count{upstream=\"10.96.0.11:5353\"} 0");
  }

  @Test
  void markedDownCountsAndTheUpGaugeFollowsTheUpstreamsState() {
    meters.markedDown(B, Duration.ofSeconds(5));
    assertScrapeHas(registry,
        "dnssec_proxy_upstream_up{upstream=\"10.96.0.11:5353\"} 0.0",
        "dnssec_proxy_upstream_up{upstream=\"10.96.0.10:53\"} 1.0",
        "dnssec_proxy_upstream_marked_down_total{upstream=\"10.96.0.11:5353\"} 1.0");
    meters.markedUp(B);
    assertScrapeHas(registry, "dnssec_proxy_upstream_up{upstream=\"10.96.0.11:5353\"} 1.0");
  }

  @Test
  void anUnconfiguredUpstreamStillGetsItsOwnMeters() {
    InetSocketAddress v6 = new InetSocketAddress("::1", 53);
    meters.query(v6);
    assertScrapeHas(registry, "dnssec_proxy_upstream_queries_total{upstream=\"[0:0:0:0:0:0:0:1]:53\"} 1.0");
  }
}
