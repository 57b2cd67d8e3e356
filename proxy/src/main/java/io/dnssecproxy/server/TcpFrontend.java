package io.dnssecproxy.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Serves DNS over TCP (RFC 7766) on one address. Create and start it on the event-loop context
 * that should own it; connections are then served on that context, so the connection set needs
 * no synchronisation.
 */
public final class TcpFrontend {

  private final Vertx vertx;
  private final InetSocketAddress listenAddress;
  private final FrontendLimits limits;
  private final FrontendMetrics metrics;
  private final QueryDispatcher dispatcher;
  private final Set<TcpConnection> connections = new LinkedHashSet<>();
  private NetServer server;

  public TcpFrontend(
      Vertx vertx, InetSocketAddress listenAddress, QueryHandler handler, FrontendLimits limits, FrontendMetrics metrics) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.listenAddress = Objects.requireNonNull(listenAddress, "listenAddress");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.dispatcher = new QueryDispatcher(Objects.requireNonNull(handler, "handler"), metrics);
  }

  /**
   * Binds the listening socket. Fails with {@link FrontendBindException} naming the address.
   * Note: within one Vertx instance, Vert.x shares a fixed non-zero port between servers instead
   * of failing, so "port in use" is only reported against other processes or sockets.
   */
  public Future<Void> start() {
    if (server != null) {
      return Future.failedFuture(new IllegalStateException("already started"));
    }
    String host;
    try {
      host = Addresses.literal(listenAddress);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new FrontendBindException(Transport.TCP, listenAddress, e));
    }
    NetServer s = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(listenAddress.getPort()));
    s.connectHandler(this::onConnect);
    server = s;
    return s.listen()
        .<Void>mapEmpty()
        .recover(e -> {
          s.close();
          return Future.failedFuture(new FrontendBindException(Transport.TCP, listenAddress, e));
        });
  }

  /** The bound port (the kernel's pick when the configured port was 0); -1 before start. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** Connections currently open. */
  public int openConnections() {
    return connections.size();
  }

  /** Stops listening and closes every open connection. */
  public Future<Void> close() {
    List<TcpConnection> open = new ArrayList<>(connections);
    open.forEach(TcpConnection::close);
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void onConnect(NetSocket socket) {
    if (connections.size() >= limits.maxTcpConnections()) {
      metrics.tcpConnectionRejected();
      socket.close();
      return;
    }
    TcpConnection[] self = new TcpConnection[1];
    self[0] = new TcpConnection(vertx, socket, dispatcher, limits, metrics, () -> connections.remove(self[0]));
    connections.add(self[0]);
    self[0].start();
  }
}
