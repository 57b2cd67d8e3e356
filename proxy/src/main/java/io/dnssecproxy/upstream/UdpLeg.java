package io.dnssecproxy.upstream;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The UDP half of one upstream try: a fresh socket on a kernel-chosen random port, one query
 * sent to the server, every datagram that arrives handed over (sender and bytes) until closed.
 *
 * <p>It is a bare Netty channel on the caller's own event loop rather than a Vert.x
 * {@code DatagramSocket}: that wrapper costs, per socket, a metrics object, a close-hook chain and
 * an exception on every close, about a tenth of a cold query's CPU (perf). The socket-per-try
 * itself is kept, for its port randomness (see {@link UpstreamExchange}). Callbacks run on the
 * caller's context, as Vert.x handlers do.
 */
final class UdpLeg {

  /**
   * Bytes read of one datagram (Netty would otherwise cut at 2048). 16 KiB is the largest buffer
   * Netty's allocator pools when the heap is under 512 MB, as the sidecar's is: a larger one is
   * allocated, zeroed and freed on every read. Our queries advertise an EDNS payload of 1232, so
   * an upstream that honours it stays far below; a datagram that fills the buffer may have been
   * cut by the kernel, and the exchange asks again over TCP ({@link #mayBeCut}).
   */
  static final int MAX_READ = 16384;

  /** What arrives: a datagram and who sent it. */
  interface Receiver {
    void datagram(InetSocketAddress sender, byte[] data);

    void failed(String step, Throwable cause);
  }

  private final DatagramChannel channel;
  private boolean closed;

  private UdpLeg(DatagramChannel channel) {
    this.channel = channel;
  }

  /** Opens the socket, then sends {@code wire} to {@code server}; failures go to {@code receiver}. */
  static UdpLeg open(Vertx vertx, InetSocketAddress server, byte[] wire, Receiver receiver) {
    ContextInternal ctx = (ContextInternal) vertx.getOrCreateContext();
    boolean v6 = server.getAddress() instanceof Inet6Address;
    DatagramChannel ch = ((VertxInternal) vertx).transport()
        .datagramChannel(v6 ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4);
    ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(MAX_READ));
    UdpLeg leg = new UdpLeg(ch);
    ch.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
      @Override
      protected void channelRead0(ChannelHandlerContext c, DatagramPacket packet) {
        byte[] data = ByteBufUtil.getBytes(packet.content());
        InetSocketAddress sender = packet.sender();
        leg.onContext(ctx, v -> receiver.datagram(sender, data));
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        leg.onContext(ctx, v -> receiver.failed("UDP receive", cause));
      }
    });
    InetSocketAddress any;
    try {
      any = new InetSocketAddress(InetAddress.getByAddress(new byte[v6 ? 16 : 4]), 0);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e); // a literal of the right length always converts
    }
    ctx.nettyEventLoop().register(ch).addListener(reg -> {
      if (!reg.isSuccess()) {
        leg.onContext(ctx, v -> receiver.failed("UDP socket", reg.cause()));
        return;
      }
      ch.bind(any).addListener(bound -> {
        if (!bound.isSuccess()) {
          leg.onContext(ctx, v -> receiver.failed("UDP bind", bound.cause()));
          return;
        }
        ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(wire), server)).addListener(sent -> {
          if (!sent.isSuccess()) {
            leg.onContext(ctx, v -> receiver.failed("UDP send", sent.cause()));
          }
        });
      });
    });
    return leg;
  }

  /** True if {@code data} filled the read buffer: the datagram may have been longer. */
  static boolean mayBeCut(byte[] data) {
    return data.length >= MAX_READ;
  }

  /** Runs {@code h} as a Vert.x handler of {@code ctx} (so futures and timers see it), unless closed. */
  private void onContext(ContextInternal ctx, Handler<Void> h) {
    if (!closed) {
      ctx.emit(null, h);
    }
  }

  /** Closes the socket; nothing is delivered afterwards. Idempotent. */
  void close() {
    if (!closed) {
      closed = true;
      channel.close();
    }
  }
}
