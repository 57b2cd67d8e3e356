package io.dnssecproxy.observe;

import io.dnssecproxy.server.FrontendMetrics;
import io.dnssecproxy.server.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@link FrontendMetrics} as Micrometer counters. Every label combination is registered at zero
 * up front, so the hot path only increments and rate() works from the first scrape.
 */
public final class FrontendMeters implements FrontendMetrics {

  private final Map<Transport, Counter> received = new EnumMap<>(Transport.class);
  private final Map<Transport, Counter> malformed = new EnumMap<>(Transport.class);
  private final Map<Transport, Counter> handlerFailures = new EnumMap<>(Transport.class);
  private final Map<Transport, Map<DropReason, Counter>> dropped = new EnumMap<>(Transport.class);
  private final Counter truncated;
  private final Counter tcpRejected;

  public FrontendMeters(MeterRegistry registry) {
    for (Transport t : Transport.values()) {
      received.put(t, counter(registry, "dnssec.proxy.frontend.messages", "Messages received from clients, before any check", t));
      malformed.put(t, counter(registry, "dnssec.proxy.frontend.malformed",
          "Client messages that did not parse or broke the query rules (FORMERR or dropped)", t));
      handlerFailures.put(t, counter(registry, "dnssec.proxy.frontend.handler.failures",
          "Queries answered SERVFAIL because answering them failed internally", t));
      Map<DropReason, Counter> byReason = new EnumMap<>(DropReason.class);
      for (DropReason r : DropReason.values()) {
        byReason.put(r, Counter.builder("dnssec.proxy.frontend.dropped")
            .description("Client messages not answered at all (too_short, response_packet, overload)")
            .tag("transport", t.tag()).tag("reason", r.name().toLowerCase(Locale.ROOT)).register(registry));
      }
      dropped.put(t, byReason);
    }
    truncated = Counter.builder("dnssec.proxy.frontend.truncated")
        .description("UDP responses too large for the client, sent with TC=1").register(registry);
    tcpRejected = Counter.builder("dnssec.proxy.frontend.tcp.connections.rejected")
        .description("Client TCP connections closed at once because the connection cap was reached").register(registry);
  }

  private static Counter counter(MeterRegistry registry, String name, String help, Transport t) {
    return Counter.builder(name).description(help).tag("transport", t.tag()).register(registry);
  }

  @Override
  public void query(Transport transport) {
    received.get(transport).increment();
  }

  @Override
  public void malformed(Transport transport) {
    malformed.get(transport).increment();
  }

  @Override
  public void dropped(Transport transport, DropReason reason) {
    dropped.get(transport).get(reason).increment();
  }

  @Override
  public void truncated() {
    truncated.increment();
  }

  @Override
  public void handlerFailed(Transport transport) {
    handlerFailures.get(transport).increment();
  }

  @Override
  public void tcpConnectionRejected() {
    tcpRejected.increment();
  }
}
