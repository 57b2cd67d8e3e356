package io.dnssecproxy.bench;

import io.dnssecproxy.config.HostPort;
import io.dnssecproxy.observe.RuntimeMetrics;
import io.dnssecproxy.validation.CryptoProviders;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The floor under the proxy: what a forwarder built on the proxy's own stack costs with none of
 * the proxy's DNS work. Vert.x with Netty's epoll transport, the front-end socket read with
 * recvmmsg, one fresh upstream socket on a kernel-chosen port per query (as the proxy's
 * {@code UdpLeg}), the query's ID replaced by a random one and put back in the answer; no parsing,
 * no cache, no validation. Run in front of the testbed like the proxy (it takes the proxy's
 * command line, so {@code loadtest/ab.sh} can drive it), it tells how much of a cold answer's CPU
 * and of the process's memory the stack takes before any of the proxy's code runs.
 *
 * <p>{@code -Dfloor.stack} picks what else it carries: {@code bare} (Vert.x and Netty only),
 * {@code bouncycastle} (plus BouncyCastle registered as the proxy registers it), {@code full}
 * (the default: plus the proxy's metrics, that is its Prometheus registry with the JVM binders,
 * Vert.x's Micrometer metrics, and an HTTP server answering scrapes on an ephemeral loopback port).
 *
 * <p>Usage: {@code java <JVM flags> -jar loadtest/target/floor.jar --listen IP:PORT --upstream IP[:PORT]};
 * the proxy's other options are accepted and ignored. A benchmark tool, not a resolver: it
 * checks nothing but the answer's source and ID.
 */
public final class FloorForwarder {

  private static final int MAX_QUERY = 2048;
  private static final int READ_BATCH = 8;
  private static final int MAX_ANSWER = 16384;
  private static final long TIMEOUT_MS = 2000;

  private final VertxInternal vertx;
  private final EventLoop loop;
  private final InetSocketAddress upstream;
  private final InetSocketAddress anyLocal;
  private final InternetProtocolFamily family;
  private final SplittableRandom random = new SplittableRandom();
  private DatagramChannel front;

  private FloorForwarder(VertxInternal vertx, EventLoop loop, InetSocketAddress upstream) throws java.net.UnknownHostException {
    this.vertx = vertx;
    this.loop = loop;
    this.upstream = upstream;
    boolean v6 = upstream.getAddress() instanceof java.net.Inet6Address;
    this.family = v6 ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4;
    this.anyLocal = new InetSocketAddress(InetAddress.getByAddress(new byte[v6 ? 16 : 4]), 0);
  }

  public static void main(String[] args) throws Exception {
    io.dnssecproxy.Main.applyRuntimeDefaults(System.getProperties()); // the proxy's own start-up properties
    InetSocketAddress listen = null;
    InetSocketAddress upstream = null;
    for (int i = 0; i + 1 < args.length; i++) {
      switch (args[i]) {
        case "--listen" -> listen = HostPort.parse(args[++i], 53);
        case "--upstream" -> upstream = HostPort.parse(args[++i], 53);
        default -> { } // the proxy's other options: accepted, ignored
      }
    }
    if (listen == null || upstream == null) {
      System.err.println("usage: floor.jar --listen IP:PORT --upstream IP[:PORT]   (-Dfloor.stack=bare|bouncycastle|full)");
      System.exit(2);
    }
    String stack = System.getProperty("floor.stack", "full");
    if (!stack.equals("bare") && !stack.equals("bouncycastle") && !stack.equals("full")) {
      System.err.println("floor.stack must be bare, bouncycastle or full, not " + stack);
      System.exit(2);
    }
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
    VertxBuilder builder = Vertx.builder();
    PrometheusMeterRegistry registry = null;
    if (stack.equals("full")) {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      RuntimeMetrics.bindTo(registry);
      options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
          .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET));
      builder = builder.withMetrics(new MicrometerMetricsFactory(registry));
    }
    if (!stack.equals("bare")) {
      CryptoProviders.installBouncyCastle();
    }
    Vertx vertx = builder.with(options).build();
    if (registry != null) {
      PrometheusMeterRegistry scraped = registry;
      vertx.createHttpServer().requestHandler(req -> req.response().end(scraped.scrape()))
          .listen(0, "127.0.0.1").await();
    }
    ContextInternal ctx = (ContextInternal) vertx.getOrCreateContext();
    FloorForwarder floor = new FloorForwarder((VertxInternal) vertx, ctx.nettyEventLoop(), upstream);
    floor.start(listen);
    System.out.println("floor forwarder (" + stack + ", " + (vertx.isNativeTransportEnabled() ? "epoll" : "nio")
        + ") on " + listen + " to " + upstream);
    new CountDownLatch(1).await();
  }

  private void start(InetSocketAddress listen) throws InterruptedException {
    DatagramChannel ch = vertx.transport().datagramChannel(
        listen.getAddress() instanceof java.net.Inet6Address ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4);
    if (ch instanceof EpollDatagramChannel) {
      ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(MAX_QUERY * READ_BATCH));
      ch.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_QUERY);
    } else {
      ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(MAX_QUERY));
    }
    ch.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
      @Override
      protected void channelRead0(ChannelHandlerContext c, DatagramPacket packet) {
        onQuery(packet.sender(), packet.content());
      }
    });
    front = ch;
    loop.register(ch).sync();
    ch.bind(listen).sync();
  }

  private void onQuery(InetSocketAddress client, ByteBuf query) {
    if (query.readableBytes() < 12) {
      return;
    }
    byte[] wire = ByteBufUtil.getBytes(query);
    int clientId = query.getUnsignedShort(query.readerIndex());
    int id = random.nextInt(65536);
    wire[0] = (byte) (id >>> 8);
    wire[1] = (byte) id;
    DatagramChannel leg = vertx.transport().datagramChannel(family);
    leg.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(MAX_ANSWER));
    ScheduledFuture<?> timeout = loop.schedule(() -> {
      leg.close();
    }, TIMEOUT_MS, TimeUnit.MILLISECONDS);
    leg.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
      @Override
      protected void channelRead0(ChannelHandlerContext c, DatagramPacket packet) {
        ByteBuf answer = packet.content();
        if (!upstream.equals(packet.sender()) || answer.readableBytes() < 12
            || answer.getUnsignedShort(answer.readerIndex()) != id) {
          return;
        }
        ByteBuf out = front.alloc().directBuffer(answer.readableBytes()).writeBytes(answer);
        out.setShort(0, clientId);
        timeout.cancel(false);
        leg.close();
        front.writeAndFlush(new DatagramPacket(out, client), front.voidPromise());
      }
    });
    loop.register(leg).addListener(registered -> {
      if (registered.isSuccess()) {
        leg.bind(anyLocal).addListener(bound -> {
          if (bound.isSuccess()) {
            leg.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(wire), upstream), leg.voidPromise());
          }
        });
      }
    });
  }
}
