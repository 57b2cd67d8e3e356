package io.dnssecproxy.server;

import io.dnssecproxy.server.FrontendMetrics.DropReason;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Serves DNS over UDP on one address. Create and start it on the event-loop context that should
 * own it; all its callbacks then run there, so its counters need no synchronisation.
 *
 * <p>Netty reads at most 2048 bytes of a datagram by default; a larger query arrives cut and is
 * answered FORMERR. Real queries are far below that.
 */
public final class UdpFrontend {

  private static final System.Logger LOG = System.getLogger(UdpFrontend.class.getName());

  private final Vertx vertx;
  private final InetSocketAddress listenAddress;
  private final FrontendLimits limits;
  private final FrontendMetrics metrics;
  private final QueryDispatcher dispatcher;
  private DatagramSocket socket;
  private int inFlight;

  public UdpFrontend(
      Vertx vertx, InetSocketAddress listenAddress, QueryHandler handler, FrontendLimits limits, FrontendMetrics metrics) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.listenAddress = Objects.requireNonNull(listenAddress, "listenAddress");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.dispatcher = new QueryDispatcher(Objects.requireNonNull(handler, "handler"), metrics);
  }

  /** Binds the socket. Fails with {@link FrontendBindException} naming the address. */
  public Future<Void> start() {
    if (socket != null) {
      return Future.failedFuture(new IllegalStateException("already started"));
    }
    String host;
    try {
      host = Addresses.literal(listenAddress);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new FrontendBindException(Transport.UDP, listenAddress, e));
    }
    // No setReceiveBufferSize: Vert.x also sizes its per-datagram read buffer from it, and a
    // 4 MiB buffer allocated and zeroed per packet cost ~60 us of CPU per query (perf: 80% in
    // the JVM's memory fill). A larger SO_RCVBUF belongs to the kernel (net.core.rmem_default).
    DatagramSocketOptions options = new DatagramSocketOptions()
        .setIpV6(listenAddress.getAddress() instanceof Inet6Address);
    DatagramSocket s = vertx.createDatagramSocket(options);
    s.handler(this::onPacket);
    s.exceptionHandler(e -> LOG.log(Level.DEBUG, "UDP socket error", e));
    socket = s;
    return s.listen(listenAddress.getPort(), host)
        .<Void>mapEmpty()
        .recover(e -> {
          s.close();
          return Future.failedFuture(new FrontendBindException(Transport.UDP, listenAddress, e));
        });
  }

  /** The bound port (the kernel's pick when the configured port was 0); -1 before start. */
  public int actualPort() {
    return socket == null || socket.localAddress() == null ? -1 : socket.localAddress().port();
  }

  /** UDP queries handed to the handler and not yet answered. */
  public int inFlight() {
    return inFlight;
  }

  public Future<Void> close() {
    return socket == null ? Future.succeededFuture() : socket.close();
  }

  private void onPacket(DatagramPacket packet) {
    if (inFlight >= limits.maxUdpInFlight()) {
      metrics.query(Transport.UDP);
      metrics.dropped(Transport.UDP, DropReason.OVERLOAD);
      return;
    }
    byte[] wire = packet.data().getBytes();
    byte[] direct = dispatcher.answerDirectly(wire, Transport.UDP, limits.maxUdpResponseBytes());
    if (direct != null) {
      // A cache hit: back to the sender as Vert.x gave it, no JDK address parsed or formatted.
      io.vertx.core.net.SocketAddress sender = packet.sender();
      socket.send(Buffer.buffer(direct), sender.port(), sender.hostAddress())
          .onFailure(e -> LOG.log(Level.DEBUG, "UDP send to " + sender + " failed", e));
      return;
    }
    InetSocketAddress client;
    try {
      client = Addresses.toInet(packet.sender());
    } catch (RuntimeException e) {
      return;
    }
    inFlight++;
    dispatcher
        .dispatch(wire, Transport.UDP, client)
        .onComplete(ar -> {
          inFlight--;
          if (ar.succeeded() && ar.result() != null) {
            send(ar.result(), client);
          }
        });
  }

  private void send(QueryDispatcher.Reply reply, InetSocketAddress client) {
    try {
      int limit = ResponseEncoder.udpLimit(reply.query(), limits.maxUdpResponseBytes());
      ResponseEncoder.Encoded encoded = ResponseEncoder.encodeOrServfail(reply, limit);
      if (encoded.truncated()) {
        metrics.truncated();
      }
      socket.send(Buffer.buffer(encoded.wire()), client.getPort(), client.getAddress().getHostAddress())
          .onFailure(e -> LOG.log(Level.DEBUG, "UDP send to " + client + " failed", e));
    } catch (RuntimeException e) {
      // An unencodable response must not take the socket down with it.
      LOG.log(Level.WARNING, "could not encode response for " + client, e);
    }
  }
}
