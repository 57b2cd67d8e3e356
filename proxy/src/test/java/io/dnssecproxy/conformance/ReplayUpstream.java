package io.dnssecproxy.conformance;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The recursive resolver a forwarder under test talks to: a UDP+TCP DNS server on 127.0.0.1
 * answering from one scenario's canned data (see {@link ReplayAnswerer} for how answers are
 * chosen).
 */
final class ReplayUpstream {

  private final ReplayAnswerer answerer;
  private final DnsUdpTcpServer server;

  private ReplayUpstream(ReplayAnswerer answerer, DnsUdpTcpServer server) {
    this.answerer = answerer;
    this.server = server;
  }

  static Future<ReplayUpstream> start(Vertx vertx, RplScenario scenario) {
    ReplayAnswerer answerer = new ReplayAnswerer(scenario);
    // Answering is pure in-memory work, cheap enough for the event loop.
    return DnsUdpTcpServer.start(vertx, (query, tcp) -> Future.succeededFuture(
            answerer.answer(query)))
        .map(server -> new ReplayUpstream(answerer, server));
  }

  InetSocketAddress address() {
    return server.address();
  }

  void setCurrentStep(int step) {
    answerer.setCurrentStep(step);
  }

  List<String> gaps() {
    return answerer.gaps();
  }

  List<String> trace() {
    return answerer.trace();
  }

  Future<Void> close() {
    return server.close();
  }
}
