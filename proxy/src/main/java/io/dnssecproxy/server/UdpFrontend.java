package io.dnssecproxy.server;

import io.dnssecproxy.server.FrontendMetrics.DropReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Serves DNS over UDP on one address. Create and start it on the event-loop context that should
 * own it; all its callbacks then run there, so its counters need no synchronisation.
 *
 * <p>The socket is a bare Netty channel on that context's event loop, not a Vert.x
 * {@code DatagramSocket}: the latter resolves the destination of every send through its name
 * resolver (a future and a listener per answer, even for an IP literal) and hands the sender over
 * as a string, costs a cache hit pays on every query. Handlers that may create Vert.x futures run
 * as handlers of the context ({@code emit}), as Vert.x's own would.
 *
 * <p>Answers ready while a read burst is handled (cache hits, synthesized denials) are written as
 * they come and flushed once the burst is over, so with
 * the native epoll transport a burst of queries costs one recvmmsg and one sendmmsg rather than a
 * system call per datagram each way (about half of a cache hit's CPU is the kernel's).
 *
 * <p>At most {@value #MAX_QUERY} bytes of a datagram are read; a larger query arrives cut and is
 * answered FORMERR. Real queries are far below that. No SO_RCVBUF is set here: that belongs to the
 * kernel (net.core.rmem_default), and Vert.x once sized its per-datagram read buffer from it (a
 * 4 MiB buffer allocated and zeroed per packet cost ~60 us of CPU per query).
 */
public final class UdpFrontend {

  private static final System.Logger LOG = System.getLogger(UdpFrontend.class.getName());

  /** Bytes read of one query datagram (Netty's own default for datagrams). */
  static final int MAX_QUERY = 2048;

  /**
   * Datagrams one recvmmsg may return (epoll only). 8 x 2 KiB is the largest buffer Netty's
   * allocator pools when the heap is under 512 MB; a larger one would be allocated and zeroed
   * for every read (see the README, "Network transport").
   */
  private static final int READ_BATCH = 8;

  /**
   * Datagrams read at most per wake-up before the answers ready are flushed and the event loop
   * looks at its other channels and tasks: four full recvmmsg batches ({@link BurstReadAllocator}).
   */
  private static final int READ_PER_WAKE = 4 * READ_BATCH;

  private final Vertx vertx;
  private final InetSocketAddress listenAddress;
  private final FrontendLimits limits;
  private final FrontendMetrics metrics;
  private final QueryDispatcher dispatcher;
  private ContextInternal context;
  private DatagramChannel channel;
  private int inFlight;
  /** True while a datagram of the current read burst is being handled. */
  private boolean reading;
  private boolean unflushed;

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
    if (channel != null) {
      return Future.failedFuture(new IllegalStateException("already started"));
    }
    try {
      Addresses.literal(listenAddress);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new FrontendBindException(Transport.UDP, listenAddress, e));
    }
    context = (ContextInternal) vertx.getOrCreateContext();
    DatagramChannel ch = ((VertxInternal) vertx).transport().datagramChannel(
        listenAddress.getAddress() instanceof Inet6Address ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4);
    if (ch instanceof EpollDatagramChannel) {
      // One buffer per read with room for a batch; a payload size makes epoll read with recvmmsg.
      ch.config().setRecvByteBufAllocator(new BurstReadAllocator(MAX_QUERY * READ_BATCH, READ_BATCH, READ_PER_WAKE));
      ch.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_QUERY);
    } else {
      ch.config().setRecvByteBufAllocator(new BurstReadAllocator(MAX_QUERY, 1, READ_PER_WAKE));
    }
    ch.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
      @Override
      protected void channelRead0(ChannelHandlerContext c, DatagramPacket packet) {
        reading = true;
        try {
          onPacket(packet.sender(), ByteBufUtil.getBytes(packet.content()));
        } finally {
          reading = false;
        }
      }

      @Override
      public void channelReadComplete(ChannelHandlerContext c) {
        if (unflushed) {
          unflushed = false;
          channel.flush();
        }
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext c, Throwable e) {
        LOG.log(Level.DEBUG, "UDP socket error", e);
      }
    });
    channel = ch;
    Promise<Void> bound = context.promise();
    context.nettyEventLoop().register(ch).addListener(reg -> {
      if (!reg.isSuccess()) {
        bound.fail(new FrontendBindException(Transport.UDP, listenAddress, reg.cause()));
        return;
      }
      ch.bind(listenAddress).addListener(b -> {
        if (b.isSuccess()) {
          bound.complete();
        } else {
          ch.close();
          bound.fail(new FrontendBindException(Transport.UDP, listenAddress, b.cause()));
        }
      });
    });
    return bound.future();
  }

  /** The bound port (the kernel's pick when the configured port was 0); -1 before start. */
  public int actualPort() {
    InetSocketAddress bound = channel == null ? null : channel.localAddress();
    return bound == null ? -1 : bound.getPort();
  }

  /** UDP queries handed to the handler and not yet answered. */
  public int inFlight() {
    return inFlight;
  }

  public Future<Void> close() {
    if (channel == null) {
      return Future.succeededFuture();
    }
    Promise<Void> closed = context.promise();
    channel.close().addListener(f -> closed.tryComplete());
    return closed.future();
  }

  private void onPacket(InetSocketAddress client, byte[] wire) {
    if (inFlight >= limits.maxUdpInFlight()) {
      metrics.query(Transport.UDP);
      metrics.dropped(Transport.UDP, DropReason.OVERLOAD);
      return;
    }
    byte[] direct = dispatcher.answerDirectly(wire, Transport.UDP, limits.maxUdpResponseBytes());
    if (direct != null) {
      send(direct, client); // a cache hit: no future, no address conversion
      return;
    }
    context.emit(null, v -> {
      inFlight++;
      dispatcher
          .dispatch(wire, Transport.UDP, client)
          .onComplete(ar -> {
            inFlight--;
            if (ar.succeeded() && ar.result() != null) {
              encodeAndSend(ar.result(), client);
            }
          });
    });
  }

  private void encodeAndSend(QueryDispatcher.Reply reply, InetSocketAddress client) {
    try {
      int limit = ResponseEncoder.udpLimit(reply.query(), limits.maxUdpResponseBytes());
      ResponseEncoder.Encoded encoded = ResponseEncoder.encodeOrServfail(reply, limit);
      if (encoded.truncated()) {
        metrics.truncated();
      }
      send(encoded.wire(), client);
    } catch (RuntimeException e) {
      // An unencodable response must not take the socket down with it.
      LOG.log(Level.WARNING, "could not encode response for " + client, e);
    }
  }

  /**
   * Answers sent while the read burst is being handled (cache hits, and answers the pipeline had
   * at once) are flushed together when it ends; later ones (after an upstream round trip) at once.
   * Failures (an unreachable client, a full send buffer) reach the pipeline's exceptionCaught.
   */
  private void send(byte[] wire, InetSocketAddress client) {
    // Straight into a pooled direct buffer: a heap buffer would be copied into one by the epoll
    // channel anyway, behind a second wrapper and packet.
    ByteBuf content = channel.alloc().directBuffer(wire.length).writeBytes(wire);
    DatagramPacket packet = new DatagramPacket(content, client);
    if (reading) {
      channel.write(packet, channel.voidPromise());
      unflushed = true;
    } else {
      channel.writeAndFlush(packet, channel.voidPromise());
    }
  }
}
