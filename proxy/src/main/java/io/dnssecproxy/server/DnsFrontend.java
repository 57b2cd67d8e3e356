package io.dnssecproxy.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * UDP and TCP on the same address and port, as stub resolvers expect (resolv.conf names one
 * port for both). With port 0, UDP gets a kernel-chosen port and TCP is bound to the same
 * number; if that number is taken for TCP, both are retried on a new port a few times.
 */
public final class DnsFrontend {

  static final int PORT_ZERO_ATTEMPTS = 5;

  private final Vertx vertx;
  private final InetSocketAddress listenAddress;
  private final QueryHandler handler;
  private final FrontendLimits limits;
  private final FrontendMetrics metrics;
  private UdpFrontend udp;
  private TcpFrontend tcp;

  public DnsFrontend(
      Vertx vertx, InetSocketAddress listenAddress, QueryHandler handler, FrontendLimits limits, FrontendMetrics metrics) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.listenAddress = Objects.requireNonNull(listenAddress, "listenAddress");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** Binds both sockets; on failure neither stays open and the error names the address. */
  public Future<Void> start() {
    if (udp != null) {
      return Future.failedFuture(new IllegalStateException("already started"));
    }
    return attempt(listenAddress.getPort() == 0 ? PORT_ZERO_ATTEMPTS : 1);
  }

  /** The address this front-end was asked to listen on (port 0 included). */
  public InetSocketAddress listenAddress() {
    return listenAddress;
  }

  /** The port both transports listen on; -1 before start. */
  public int actualPort() {
    return udp == null ? -1 : udp.actualPort();
  }

  public Future<Void> close() {
    Future<Void> u = udp == null ? Future.succeededFuture() : udp.close();
    Future<Void> t = tcp == null ? Future.succeededFuture() : tcp.close();
    return Future.all(u, t).mapEmpty();
  }

  private Future<Void> attempt(int attemptsLeft) {
    UdpFrontend u = new UdpFrontend(vertx, listenAddress, handler, limits, metrics);
    return u.start().compose(v -> {
      InetSocketAddress tcpAddress = new InetSocketAddress(listenAddress.getAddress(), u.actualPort());
      TcpFrontend t = new TcpFrontend(vertx, tcpAddress, handler, limits, metrics);
      return t.start()
          .map(ok -> {
            udp = u;
            tcp = t;
            return (Void) null;
          })
          .recover(e -> {
            t.close();
            return u.close().transform(closed -> attemptsLeft > 1
                ? attempt(attemptsLeft - 1)
                : Future.failedFuture(e));
          });
    });
  }
}
