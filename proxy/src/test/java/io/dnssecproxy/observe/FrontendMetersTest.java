package io.dnssecproxy.observe;

import static io.dnssecproxy.observe.ScrapeAssertions.assertScrapeHas;

import io.dnssecproxy.server.FrontendMetrics.DropReason;
import io.dnssecproxy.server.Transport;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class FrontendMetersTest {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final FrontendMeters meters = new FrontendMeters(registry);

  @Test
  void everyLabelCombinationShowsAtZeroBeforeAnyTraffic() {
    assertScrapeHas(registry,
        "dnssec_proxy_frontend_messages_total{transport=\"udp\"} 0.0",
        "dnssec_proxy_frontend_malformed_total{transport=\"tcp\"} 0.0",
        "dnssec_proxy_frontend_dropped_total{reason=\"overload\",transport=\"udp\"} 0.0",
        "dnssec_proxy_frontend_truncated_total 0.0",
        "dnssec_proxy_frontend_tcp_connections_rejected_total 0.0");
  }

  @Test
  void eachCallCountsUnderItsTransportAndReason() {
    meters.query(Transport.UDP);
    meters.query(Transport.UDP);
    meters.query(Transport.TCP);
    meters.malformed(Transport.UDP);
    meters.dropped(Transport.UDP, DropReason.TOO_SHORT);
    meters.dropped(Transport.TCP, DropReason.RESPONSE_PACKET);
    meters.truncated();
    meters.handlerFailed(Transport.TCP);
    meters.tcpConnectionRejected();
    meters.tcpConnectionRejected();
    assertScrapeHas(registry,
        "# TYPE dnssec_proxy_frontend_messages_total counter",
        "dnssec_proxy_frontend_messages_total{transport=\"udp\"} 2.0",
        "dnssec_proxy_frontend_messages_total{transport=\"tcp\"} 1.0",
        "dnssec_proxy_frontend_malformed_total{transport=\"udp\"} 1.0",
        "dnssec_proxy_frontend_dropped_total{reason=\"too_short\",transport=\"udp\"} 1.0",
        "dnssec_proxy_frontend_dropped_total{reason=\"response_packet\",transport=\"tcp\"} 1.0",
        "dnssec_proxy_frontend_truncated_total 1.0",
        "dnssec_proxy_frontend_handler_failures_total{transport=\"tcp\"} 1.0",
        "dnssec_proxy_frontend_tcp_connections_rejected_total 2.0");
  }
}
