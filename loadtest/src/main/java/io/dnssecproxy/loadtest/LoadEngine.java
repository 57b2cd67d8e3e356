package io.dnssecproxy.loadtest;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The UDP side of the generator: {@code threads} event loops, each with {@code socketsPerThread}
 * unconnected UDP sockets on ephemeral ports, each socket with its own 65,536 IDs. Uses the
 * native epoll transport when it loads (timers with sub-millisecond precision, batched
 * sendmmsg), NIO otherwise. Runs steps one after another; the sockets stay open between steps
 * so late answers of one step are seen (and counted as unmatched) rather than refused.
 */
public final class LoadEngine implements AutoCloseable {

  private static final int SOCKET_BUFFER = 4 << 20;
  private static final int MAX_RESPONSE = 65535;
  /** Extra wait beyond a step's own bounds before the engine gives up on it: a bug, not a slow server. */
  private static final long STEP_GRACE_SECONDS = 30;

  private final EventLoopGroup group;
  private final List<LoopWorker> workers = new ArrayList<>();
  private final boolean nativeTransport;
  private long queriesSoFar;

  /**
   * @param spinNanos open loop: how long before a query is due its event loop wakes and spins,
   *     trading that much CPU per wake-up for sends on time
   */
  public LoadEngine(int threads, int socketsPerThread, InetSocketAddress target, InetAddress source, byte[][] templates,
      long spinNanos) throws InterruptedException {
    nativeTransport = Epoll.isAvailable();
    IoHandlerFactory io = nativeTransport ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("loadtest", true), io);
    try {
      int k = 0;
      for (EventExecutor e : group) {
        workers.add(newWorker(k++, threads, (EventLoop) e, socketsPerThread, target, source, templates, spinNanos));
      }
    } catch (RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
  }

  private LoopWorker newWorker(int k, int threads, EventLoop loop, int sockets, InetSocketAddress target,
      InetAddress source, byte[][] templates, long spinNanos) throws InterruptedException {
    int[] firstIds = new int[sockets];
    for (int s = 0; s < sockets; s++) {
      firstIds[s] = ThreadLocalRandom.current().nextInt(65536);
    }
    Channel[] channels = new Channel[sockets];
    LoopWorker[] self = new LoopWorker[1];
    for (int s = 0; s < sockets; s++) {
      int socket = s;
      Bootstrap b = new Bootstrap()
          .group(loop)
          .channel(nativeTransport ? EpollDatagramChannel.class : NioDatagramChannel.class)
          .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
          .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
          .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_RESPONSE))
          .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
              long now = System.nanoTime();
              self[0].onResponse(socket, p.sender(), ResponseHeader.parse(p.content()), now);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
              self[0].onReadComplete();
            }
          });
      channels[s] = b.bind(new InetSocketAddress(source, 0)).sync().channel();
    }
    self[0] = new LoopWorker(k, threads, loop, channels, target, templates, new InFlightTable(sockets, firstIds), spinNanos);
    return self[0];
  }

  public boolean nativeTransport() {
    return nativeTransport;
  }

  /** Runs one step to its end and returns what it measured. */
  public StepResult run(StepPlan plan) throws InterruptedException, TimeoutException {
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
    List<Promise<LoopWorker.Outcome>> promises = new ArrayList<>();
    for (LoopWorker w : workers) {
      Promise<LoopWorker.Outcome> p = w.loop().newPromise();
      promises.add(p);
      w.start(plan, start, queriesSoFar, p);
    }
    long boundNanos = plan.duration().plus(plan.timeout()).toNanos() + TimeUnit.SECONDS.toNanos(STEP_GRACE_SECONDS);
    StepRecorder total = new StepRecorder();
    long sendStart = Long.MAX_VALUE;
    long sendEnd = Long.MIN_VALUE;
    for (Future<LoopWorker.Outcome> f : promises) {
      long left = boundNanos - (System.nanoTime() - start);
      if (!f.await(Math.max(0, left), TimeUnit.NANOSECONDS)) {
        throw new TimeoutException("a step did not end within its bounds plus " + STEP_GRACE_SECONDS + " s");
      }
      LoopWorker.Outcome o = f.getNow();
      total.add(o.recorder());
      sendStart = Math.min(sendStart, o.sendStartNanos());
      sendEnd = Math.max(sendEnd, o.sendEndNanos());
    }
    queriesSoFar += total.sent + total.dropped;
    return StepResult.of(plan.rate(), plan.outstanding(), (sendEnd - sendStart) / 1e9, total);
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
