package io.dnssecproxy.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProxyMetricsTest {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ProxyMetrics metrics = new ProxyMetrics(registry);

  private void assertScrapeHas(String text) {
    ScrapeAssertions.assertScrapeHas(registry, text);
  }

  @Test
  void queriesAreACounterWithTransportTypeAndRcodeLabels() {
    metrics.query("udp", "A", "NOERROR");
    metrics.query("udp", "A", "NOERROR");
    metrics.query("tcp", "AAAA", "SERVFAIL");
    assertScrapeHas("# TYPE dnssec_proxy_queries_total counter");
    assertScrapeHas("dnssec_proxy_queries_total{qtype=\"A\",rcode=\"NOERROR\",transport=\"udp\"} 2.0");
    assertScrapeHas("dnssec_proxy_queries_total{qtype=\"AAAA\",rcode=\"SERVFAIL\",transport=\"tcp\"} 1.0");
    assertScrapeHas("# HELP dnssec_proxy_queries_total Client queries answered");
  }

  @Test
  void numericQueryCountsLandOnTheSameMetersAsNamedOnesCommonOrNot() {
    metrics.query("udp", 1, 0);
    metrics.query("udp", "A", "NOERROR");
    metrics.query("tcp", 28, 2);
    metrics.query("udp", 257, 0); // CAA: above the array's qtype range
    metrics.query("udp", 1, 16); // BADVERS: above the array's rcode range
    metrics.query("udp", 257, 0);
    assertScrapeHas("dnssec_proxy_queries_total{qtype=\"A\",rcode=\"NOERROR\",transport=\"udp\"} 2.0");
    assertScrapeHas("dnssec_proxy_queries_total{qtype=\"AAAA\",rcode=\"SERVFAIL\",transport=\"tcp\"} 1.0");
    assertScrapeHas("dnssec_proxy_queries_total{qtype=\"CAA\",rcode=\"NOERROR\",transport=\"udp\"} 2.0");
    assertScrapeHas("dnssec_proxy_queries_total{qtype=\"A\",rcode=\"BADVERS\",transport=\"udp\"} 1.0");
  }

  @Test
  void validationDurationIsAHistogramInSeconds() {
    metrics.validationTime(Duration.ofMillis(3));
    assertScrapeHas("dnssec_proxy_validation_duration_seconds_bucket{le=");
    assertScrapeHas("dnssec_proxy_validation_duration_seconds_count 1");
    assertScrapeHas("dnssec_proxy_validation_duration_seconds_sum 0.003");
  }

  @Test
  void everyCounterHasAPrometheusConventionName() {
    metrics.verdict("secure");
    metrics.bogus("signature_expired");
    metrics.action("blocked");
    metrics.cacheHit();
    metrics.cacheMiss();
    metrics.upstreamFailure("timeout");
    assertScrapeHas("dnssec_proxy_verdicts_total{verdict=\"secure\"} 1.0");
    assertScrapeHas("dnssec_proxy_bogus_total{ede=\"signature_expired\"} 1.0");
    assertScrapeHas("dnssec_proxy_answers_total{action=\"blocked\"} 1.0");
    assertScrapeHas("dnssec_proxy_cache_hits_total 1.0");
    assertScrapeHas("dnssec_proxy_cache_misses_total 1.0");
    assertScrapeHas("dnssec_proxy_upstream_failures_total{kind=\"timeout\"} 1.0");
  }

  @Test
  void repeatedCallsCountOnOneMeter() {
    for (int i = 0; i < 3; i++) {
      metrics.cacheHit();
    }
    assertEquals(3.0, registry.get("dnssec.proxy.cache.hits").counter().count());
    assertEquals(1, registry.find("dnssec.proxy.cache.hits").counters().size());
  }

  @Test
  void registryIsExposedForTheAdminServer() {
    assertEquals(registry, metrics.registry());
  }

  @Test
  void hitAndMissCountsAreReadableForTheControlApi() {
    metrics.cacheHit();
    metrics.cacheHit();
    metrics.cacheMiss();
    assertEquals(2, metrics.cacheHits());
    assertEquals(1, metrics.cacheMisses());
  }
}
