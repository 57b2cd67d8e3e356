package io.dnssecproxy.upstream;

import io.dnssecproxy.upstream.UpstreamException.Kind;
import io.dnssecproxy.upstream.UpstreamMetrics.DropReason;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * One try of one question against one upstream server: UDP, then TCP if the UDP answer is
 * truncated, all within one deadline. Everything it opens is closed when it finishes.
 *
 * <p>Each try uses a fresh UDP socket bound to port 0, so the kernel picks a new random
 * ephemeral port every time. Together with the random ID that is about 32 bits an off-path
 * spoofer must guess (RFC 5452 §9.2). A pool of long-lived sockets would be cheaper but would
 * reuse ports, giving away part of that entropy; upstream queries only happen on cache
 * misses, so the extra socket per query is affordable.
 */
final class UpstreamExchange {

  private final Vertx vertx;
  private final InetSocketAddress server;
  private final String serverHost;
  private final Supplier<NetClient> tcpClient;
  private final Message query;
  private final UpstreamMetrics metrics;
  private final Promise<Message> result = Promise.promise();
  private long startNanos;
  private long timeoutMillis;
  private long timer = -1;
  private UdpLeg udp;
  private NetSocket tcp;
  private boolean done;

  UpstreamExchange(
      Vertx vertx, InetSocketAddress server, Supplier<NetClient> tcpClient, Message query, UpstreamMetrics metrics) {
    this.vertx = vertx;
    this.server = server;
    this.serverHost = server.getAddress().getHostAddress();
    this.tcpClient = tcpClient;
    this.query = query;
    this.metrics = metrics;
  }

  /** Fails with {@link UpstreamException} (TIMEOUT or NETWORK_ERROR); never with anything else. */
  Future<Message> run(Duration timeout) {
    if (Vertx.currentContext() != null) {
      start(timeout);
    } else {
      // Called from outside Vert.x (a CLI, a test): all of this exchange's state lives on one
      // event loop, or an answer could be handled there before this thread had even stored the
      // socket it came on (found by UpstreamResponseFuzzTest).
      vertx.getOrCreateContext().runOnContext(v -> start(timeout));
    }
    return result.future();
  }

  private void start(Duration timeout) {
    startNanos = System.nanoTime(); // for the latency metric only
    timeoutMillis = Math.max(1, timeout.toMillis());
    metrics.query(server);
    timer = vertx.setTimer(timeoutMillis, id -> {
      timer = -1;
      metrics.timeout(server);
      finish(Kind.TIMEOUT, "no answer from " + describe() + " within " + timeoutMillis + " ms");
    });
    sendUdp();
  }

  private void sendUdp() {
    udp = UdpLeg.open(vertx, server, query.toWire(), new UdpLeg.Receiver() {
      @Override
      public void datagram(InetSocketAddress sender, byte[] data) {
        onDatagram(sender, data);
      }

      @Override
      public void failed(String step, Throwable cause) {
        networkError(step, cause);
      }
    });
  }

  private void onDatagram(InetSocketAddress sender, byte[] data) {
    if (done) {
      return;
    }
    if (!isServer(sender)) {
      metrics.responseDropped(server, DropReason.WRONG_SOURCE);
      return;
    }
    if (UdpLeg.mayBeCut(data)) {
      // Longer than any answer to our EDNS payload should be, and perhaps cut: only its header is
      // checked (the rest may be missing) before TCP is asked for the whole of it.
      if (acceptableHeader(data)) {
        retryOverTcp();
      }
      return;
    }
    Message response = acceptable(data);
    if (response == null) {
      return;
    }
    if (response.getHeader().getFlag(Flags.TC)) {
      retryOverTcp();
      return;
    }
    succeed(response);
  }

  private void retryOverTcp() {
    metrics.tcpFallback(server);
    udp.close();
    udp = null;
    sendTcp();
  }

  private void sendTcp() {
    ConnectOptions options =
        new ConnectOptions().setHost(serverHost).setPort(server.getPort()).setTimeout((int) timeoutMillis);
    tcpClient.get().connect(options).onComplete(ar -> {
      if (ar.failed()) {
        networkError("TCP connect", ar.cause());
        return;
      }
      NetSocket socket = ar.result();
      if (done) {
        socket.close();
        return;
      }
      tcp = socket;
      readTcp(socket);
      byte[] wire = query.toWire();
      socket.write(Buffer.buffer(wire.length + 2).appendUnsignedShort(wire.length).appendBytes(wire));
    });
  }

  private void readTcp(NetSocket socket) {
    RecordParser parser = RecordParser.newFixed(2, socket);
    boolean[] expectingLength = {true};
    int[] expectedSize = {2};
    parser.exceptionHandler(e -> networkError("TCP read", e));
    parser.endHandler(v -> networkError("TCP read", null));
    parser.handler(record -> {
      if (record.length() < (expectingLength[0] ? 2 : expectedSize[0])) {
        // What the parser still held when the server closed mid-frame: a cut-off answer.
        networkError("TCP read (connection closed mid-message)", null);
        return;
      }
      if (expectingLength[0]) {
        int length = record.getUnsignedShort(0);
        if (length == 0) {
          networkError("TCP read (zero-length message)", null);
          return;
        }
        expectingLength[0] = false;
        expectedSize[0] = length;
        parser.fixedSizeMode(length);
        return;
      }
      expectingLength[0] = true;
      parser.fixedSizeMode(2);
      Message response = acceptable(record.getBytes());
      if (response != null) {
        succeed(response);
      }
    });
    socket.closeHandler(v -> networkError("TCP connection closed before the answer", null));
  }

  /** Whether a datagram's header (at least 12 bytes) fits our query; counted when not. */
  private boolean acceptableHeader(byte[] data) {
    Optional<DropReason> mismatch;
    try {
      mismatch = ResponseMatcher.mismatch(query, new Header(data));
    } catch (IOException e) {
      mismatch = Optional.of(DropReason.MALFORMED);
    }
    mismatch.ifPresent(reason -> metrics.responseDropped(server, reason));
    return mismatch.isEmpty();
  }

  /** The parsed response if it answers our query; null (counted) otherwise. */
  private Message acceptable(byte[] data) {
    Message response;
    try {
      response = new Message(data);
    } catch (Exception e) {
      metrics.responseDropped(server, DropReason.MALFORMED);
      return null;
    }
    Optional<DropReason> mismatch;
    try {
      mismatch = ResponseMatcher.mismatch(query, response);
    } catch (RuntimeException e) {
      mismatch = Optional.of(DropReason.MALFORMED); // nothing a server sends may escape to Vert.x
    }
    if (mismatch.isPresent()) {
      metrics.responseDropped(server, mismatch.get());
      return null;
    }
    return response;
  }

  private boolean isServer(InetSocketAddress sender) {
    return sender != null && sender.getPort() == server.getPort() && server.getAddress().equals(sender.getAddress());
  }

  private void succeed(Message response) {
    if (done) {
      return;
    }
    metrics.latency(server, Duration.ofNanos(System.nanoTime() - startNanos));
    cleanUp();
    result.complete(response);
  }

  private void networkError(String step, Throwable cause) {
    if (done) {
      return;
    }
    metrics.networkError(server);
    String reason = cause == null ? "" : ": " + cause.getMessage();
    finish(Kind.NETWORK_ERROR, step + " to " + describe() + " failed" + reason);
  }

  private void finish(Kind kind, String message) {
    if (done) {
      return;
    }
    cleanUp();
    result.fail(new UpstreamException(kind, message));
  }

  private void cleanUp() {
    done = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (udp != null) {
      udp.close();
      udp = null;
    }
    if (tcp != null) {
      tcp.close();
      tcp = null;
    }
  }

  private String describe() {
    return query.getQuestion().getName() + "/" + Type.string(query.getQuestion().getType())
        + " @" + (serverHost.indexOf(':') >= 0 ? "[" + serverHost + "]" : serverHost) + ":" + server.getPort();
  }
}
