package io.dnssecproxy.conformance;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.xbill.DNS.Message;

/**
 * A DNS server on 127.0.0.1 listening on UDP and TCP (2-byte length framing) on the same,
 * OS-chosen port. It only does transport: each query goes to a {@link Handler}; responses that
 * do not fit the client's UDP limit go out truncated (TC, header and question only).
 * Unparseable packets are dropped, as a server would for garbage.
 */
final class DnsUdpTcpServer {

  /** Produces the response to one query; must not block the event loop. */
  @FunctionalInterface
  interface Handler {
    Future<Message> handle(Message query, boolean overTcp);
  }

  private static final String HOST = "127.0.0.1";
  private static final int PORT_ATTEMPTS = 10;

  private final DatagramSocket udp;
  private final NetServer tcp;
  private final InetSocketAddress address;

  private DnsUdpTcpServer(DatagramSocket udp, NetServer tcp, int port) {
    this.udp = udp;
    this.tcp = tcp;
    this.address = new InetSocketAddress(HOST, port);
  }

  static Future<DnsUdpTcpServer> start(Vertx vertx, Handler handler) {
    return attempt(vertx, handler, PORT_ATTEMPTS);
  }

  InetSocketAddress address() {
    return address;
  }

  Future<Void> close() {
    return Future.join(udp.close(), tcp.close()).mapEmpty();
  }

  // UDP gets an ephemeral port first; TCP then binds the same number. Another process may own
  // that TCP port already, in which case both are released and a new UDP port is tried.
  private static Future<DnsUdpTcpServer> attempt(Vertx vertx, Handler handler, int left) {
    DatagramSocket udp = vertx.createDatagramSocket();
    return udp.listen(0, HOST).compose(bound -> {
      int port = bound.localAddress().port();
      serveUdp(bound, handler);
      NetServer tcp = vertx.createNetServer().connectHandler(s -> serveTcp(s, handler));
      return tcp.listen(port, HOST)
          .map(listening -> new DnsUdpTcpServer(bound, listening, port))
          .recover(err -> {
            Future<Void> closed = bound.close();
            return left > 1
                ? closed.transform(ignored -> attempt(vertx, handler, left - 1))
                : closed.transform(ignored -> Future.failedFuture(err));
          });
    });
  }

  private static void serveUdp(DatagramSocket socket, Handler handler) {
    socket.handler(packet -> {
      Message query;
      try {
        query = new Message(packet.data().getBytes());
      } catch (IOException garbage) {
        return;
      }
      handler.handle(query, false).onSuccess(response -> {
        byte[] wire = DnsWire.toUdpWire(response, query);
        socket.send(Buffer.buffer(wire), packet.sender().port(), packet.sender().host());
      });
    });
  }

  private static void serveTcp(NetSocket socket, Handler handler) {
    RecordParser parser = RecordParser.newFixed(2);
    // The parser alternates between reading a 2-byte length and reading that many bytes.
    parser.handler(new io.vertx.core.Handler<>() {
      private boolean expectLength = true;

      @Override
      public void handle(Buffer chunk) {
        if (expectLength) {
          int length = chunk.getUnsignedShort(0);
          if (length == 0) {
            socket.close();
            return;
          }
          expectLength = false;
          parser.fixedSizeMode(length);
          return;
        }
        expectLength = true;
        parser.fixedSizeMode(2);
        Message query;
        try {
          query = new Message(chunk.getBytes());
        } catch (IOException garbage) {
          socket.close();
          return;
        }
        handler.handle(query, true).onSuccess(response -> {
          byte[] wire = response.toWire();
          Buffer framed = Buffer.buffer(wire.length + 2).appendUnsignedShort(wire.length)
              .appendBytes(wire);
          socket.write(framed);
        });
      }
    });
    socket.handler(parser);
  }
}
