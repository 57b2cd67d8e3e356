package io.dnssecproxy.upstream;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.xbill.DNS.Message;

/**
 * A scripted upstream resolver on 127.0.0.1: UDP and TCP on the same port, counting what it
 * receives and answering as the test says. Runs on its own event-loop context.
 */
final class FakeUpstream {

  /** One datagram to send back; {@code fromOtherPort} sends it from a second socket (spoofing). */
  record Datagram(byte[] wire, boolean fromOtherPort) {
    static Datagram of(Message m) {
      return new Datagram(m.toWire(), false);
    }
  }

  private final Vertx vertx;
  private final Context context;
  final AtomicInteger udpQueries = new AtomicInteger();
  final AtomicInteger tcpQueries = new AtomicInteger();
  final List<Message> received = new CopyOnWriteArrayList<>();
  final List<Integer> sourcePorts = new CopyOnWriteArrayList<>();
  /** Datagrams to answer a UDP query with, sent in order; empty for silence. */
  volatile Function<Message, List<Datagram>> udp = q -> List.of(Datagram.of(UpstreamTestSupport.answer(q)));
  /** Messages to answer a TCP query with, in order on the connection. */
  volatile Function<Message, List<Message>> tcp = q -> List.of(UpstreamTestSupport.answer(q));
  private DatagramSocket socket;
  private DatagramSocket spoofer;
  private NetServer tcpServer;

  FakeUpstream(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
  }

  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", socket.localAddress().port());
  }

  /** Binds UDP on a free port and TCP on the same number (retrying on a clash), or UDP only. */
  FakeUpstream start(boolean withTcp) throws Exception {
    UpstreamTestSupport.onContext(context, () -> bind(withTcp, 5));
    return this;
  }

  private Future<Void> bind(boolean withTcp, int attemptsLeft) {
    DatagramSocket s = vertx.createDatagramSocket(new DatagramSocketOptions());
    s.handler(this::onDatagram);
    spoofer = vertx.createDatagramSocket(new DatagramSocketOptions());
    return spoofer.listen(0, "127.0.0.1").compose(x -> s.listen(0, "127.0.0.1")).compose(bound -> {
      socket = s;
      if (!withTcp) {
        return Future.succeededFuture();
      }
      NetServer server = vertx.createNetServer(
          new NetServerOptions().setHost("127.0.0.1").setPort(s.localAddress().port()));
      server.connectHandler(this::onConnection);
      return server.listen().<Void>map(ok -> {
        tcpServer = server;
        return null;
      }).recover(e -> attemptsLeft > 1
          ? s.close().compose(c -> spoofer.close()).compose(c -> bind(true, attemptsLeft - 1))
          : Future.failedFuture(e));
    });
  }

  private void onDatagram(DatagramPacket packet) {
    Message query;
    try {
      query = new Message(packet.data().getBytes());
    } catch (Exception e) {
      return;
    }
    udpQueries.incrementAndGet();
    received.add(query);
    sourcePorts.add(packet.sender().port());
    sendInOrder(udp.apply(query), 0, packet.sender().port(), packet.sender().hostAddress());
  }

  /** One after the other, so the client sees them in this order. */
  private void sendInOrder(List<Datagram> datagrams, int index, int port, String host) {
    if (index >= datagrams.size()) {
      return;
    }
    Datagram d = datagrams.get(index);
    (d.fromOtherPort() ? spoofer : socket)
        .send(Buffer.buffer(d.wire()), port, host)
        .onComplete(ar -> sendInOrder(datagrams, index + 1, port, host));
  }

  private void onConnection(NetSocket connection) {
    RecordParser parser = RecordParser.newFixed(2, connection);
    boolean[] expectingLength = {true};
    parser.handler(record -> {
      if (expectingLength[0]) {
        expectingLength[0] = false;
        parser.fixedSizeMode(record.getUnsignedShort(0));
        return;
      }
      expectingLength[0] = true;
      parser.fixedSizeMode(2);
      try {
        Message query = new Message(record.getBytes());
        tcpQueries.incrementAndGet();
        for (Message answer : tcp.apply(query)) {
          byte[] wire = answer.toWire();
          connection.write(Buffer.buffer().appendUnsignedShort(wire.length).appendBytes(wire));
        }
      } catch (Exception e) {
        connection.close();
      }
    });
  }

  Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      Future<Void> t = tcpServer == null ? Future.succeededFuture() : tcpServer.close();
      Future.join(socket.close(), spoofer.close(), t).<Void>mapEmpty().onComplete(ar -> done.complete());
    });
    return done.future();
  }
}
