package io.dnssecproxy.testing;

import io.dnssecproxy.lab.LabUpstream;
import io.dnssecproxy.lab.RecursiveAnswerer;
import io.dnssecproxy.lab.TcpFrameDecoder;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * A recursive resolver on 127.0.0.1 answering from {@link LabZone}s with one switchable
 * {@link Fault} for every question, UDP and TCP alike: the fault matrix's upstream. (The
 * per-question knobs of {@link LabUpstream} suit single cases; this one suits "the
 * whole upstream is broken this way".)
 */
public final class FaultyUpstream implements AutoCloseable {

  private final Vertx vertx;
  private final RecursiveAnswerer answerer;
  private final Random random = new Random(1);
  private final AtomicLong queries = new AtomicLong();
  private volatile Fault fault = Fault.NONE;
  private volatile double dropFraction = 0.3;
  private volatile Duration delay = Duration.ofMillis(300);
  private DatagramSocket udp;
  private NetServer tcp;
  private int port;

  public FaultyUpstream(Vertx vertx, RecursiveAnswerer answerer) {
    this.vertx = vertx;
    this.answerer = answerer;
  }

  public FaultyUpstream start() throws Exception {
    udp = vertx.createDatagramSocket();
    udp.handler(p -> onUdp(p.data().getBytes(), p.sender().port(), p.sender().host()));
    udp.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    port = udp.localAddress().port();
    tcp = vertx.createNetServer(new NetServerOptions());
    tcp.connectHandler(socket -> {
      if (fault == Fault.TRUNCATE_THEN_RESET || fault == Fault.SILENT) {
        socket.close();
        return;
      }
      TcpFrameDecoder decoder = new TcpFrameDecoder(bytes -> {
        byte[] answer = answer(bytes, true);
        if (answer != null) {
          later(() -> socket.write(TcpFrameDecoder.frame(answer)));
        }
      });
      socket.handler(decoder::feed);
      socket.exceptionHandler(e -> socket.close());
    });
    tcp.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    return this;
  }

  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  public void fault(Fault f) {
    fault = f;
  }

  public void dropFraction(double fraction) {
    dropFraction = fraction;
  }

  public void delay(Duration d) {
    delay = d;
  }

  /** Queries received, UDP and TCP. */
  public long queries() {
    return queries.get();
  }

  private void onUdp(byte[] query, int port, String host) {
    byte[] answer = answer(query, false);
    if (answer != null) {
      later(() -> udp.send(Buffer.buffer(answer), port, host));
    }
  }

  /** The bytes to send back, or null for silence. */
  private byte[] answer(byte[] wire, boolean overTcp) {
    queries.incrementAndGet();
    Message query;
    try {
      query = new Message(wire);
    } catch (Exception e) {
      return null;
    }
    Fault f = fault;
    switch (f) {
      case SILENT:
        return null;
      case DROP_SOME:
        synchronized (random) {
          if (random.nextDouble() < dropFraction) {
            return null;
          }
        }
        break;
      case SERVFAIL:
      case REFUSED:
        Message failure = RecursiveAnswerer.emptyResponse(query);
        failure.getHeader().setRcode(f == Fault.SERVFAIL ? Rcode.SERVFAIL : Rcode.REFUSED);
        return failure.toWire();
      case TRUNCATE:
      case TRUNCATE_THEN_RESET:
        if (!overTcp) {
          Message tc = RecursiveAnswerer.emptyResponse(query);
          tc.getHeader().setFlag(Flags.TC);
          return tc.toWire();
        }
        break;
      case GARBAGE:
        byte[] junk = new byte[64];
        synchronized (random) {
          random.nextBytes(junk);
        }
        return junk;
      default:
        break;
    }
    Message response = answerer.respond(query);
    return overTcp ? response.toWire() : LabUpstream.fitUdp(response, query);
  }

  private void later(Runnable send) {
    long ms = fault == Fault.DELAY ? delay.toMillis() : 0;
    if (ms <= 0) {
      send.run();
    } else {
      vertx.setTimer(ms, id -> send.run());
    }
  }

  /** Stops answering and releases the port (the upstream "goes away"). */
  @Override
  public void close() {
    try {
      udp.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      tcp.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
