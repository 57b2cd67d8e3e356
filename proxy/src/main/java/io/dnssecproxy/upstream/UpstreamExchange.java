package io.dnssecproxy.upstream;

import io.dnssecproxy.upstream.UpstreamException.Kind;
import io.dnssecproxy.upstream.UpstreamMetrics.DropReason;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.parsetools.RecordParser;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.xbill.DNS.Flags;
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

  /** Largest DNS message; Netty would otherwise cut datagrams at 2048 bytes. */
  private static final int MAX_MESSAGE = 65535;

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
  private DatagramSocket udp;
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
    startNanos = System.nanoTime(); // for the latency metric only
    timeoutMillis = Math.max(1, timeout.toMillis());
    metrics.query(server);
    timer = vertx.setTimer(timeoutMillis, id -> {
      timer = -1;
      metrics.timeout(server);
      finish(Kind.TIMEOUT, "no answer from " + describe() + " within " + timeoutMillis + " ms");
    });
    sendUdp();
    return result.future();
  }

  private void sendUdp() {
    boolean v6 = server.getAddress() instanceof Inet6Address;
    DatagramSocketOptions options = new DatagramSocketOptions().setIpV6(v6).setReceiveBufferSize(MAX_MESSAGE);
    udp = vertx.createDatagramSocket(options);
    udp.handler(this::onDatagram);
    udp.listen(0, v6 ? "::" : "0.0.0.0")
        .compose(socket -> socket.send(Buffer.buffer(query.toWire()), server.getPort(), serverHost))
        .onFailure(e -> networkError("UDP send", e));
  }

  private void onDatagram(DatagramPacket packet) {
    if (done) {
      return;
    }
    if (!isServer(packet.sender())) {
      metrics.responseDropped(server, DropReason.WRONG_SOURCE);
      return;
    }
    Message response = acceptable(packet.data());
    if (response == null) {
      return;
    }
    if (response.getHeader().getFlag(Flags.TC)) {
      metrics.tcpFallback(server);
      udp.close();
      udp = null;
      sendTcp();
      return;
    }
    succeed(response);
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
      Message response = acceptable(record);
      if (response != null) {
        succeed(response);
      }
    });
    socket.closeHandler(v -> networkError("TCP connection closed before the answer", null));
  }

  /** The parsed response if it answers our query; null (counted) otherwise. */
  private Message acceptable(Buffer data) {
    Message response;
    try {
      response = new Message(data.getBytes());
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

  private boolean isServer(SocketAddress sender) {
    if (sender.port() != server.getPort()) {
      return false;
    }
    try {
      // The sender is an IP literal: parsed, not looked up.
      return InetAddress.getByName(sender.hostAddress()).equals(server.getAddress());
    } catch (UnknownHostException e) {
      return false;
    }
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
