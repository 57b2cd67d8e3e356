package io.dnssecproxy.server;

import static io.dnssecproxy.server.FrontendTestSupport.answer;
import static io.dnssecproxy.server.FrontendTestSupport.await;
import static io.dnssecproxy.server.FrontendTestSupport.onContext;
import static io.dnssecproxy.server.FrontendTestSupport.query;
import static io.dnssecproxy.server.FrontendTestSupport.readFramed;
import static io.dnssecproxy.server.FrontendTestSupport.tcpClient;
import static io.dnssecproxy.server.FrontendTestSupport.writeFramed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

class DnsFrontendTest {

  private final QueryHandler handler = q -> Future.succeededFuture(answer(q.message(), 1));
  private Vertx vertx;
  private Context context;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  @Test
  void udpAndTcpAnswerOnTheSamePortWhenPortZeroIsRequested() throws Exception {
    DnsFrontend frontend = new DnsFrontend(
        vertx, new InetSocketAddress("127.0.0.1", 0), handler, FrontendLimits.defaults(), FrontendMetrics.NOOP);
    onContext(context, frontend::start);
    int port = frontend.actualPort();

    Message udpQuery = query("udp.example.", Type.A);
    try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      udp.setSoTimeout((int) FrontendTestSupport.WAIT.toMillis());
      byte[] wire = udpQuery.toWire();
      udp.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), port));
      DatagramPacket packet = new DatagramPacket(new byte[512], 512);
      udp.receive(packet);
      assertEquals(udpQuery.getHeader().getID(), new Message(packet.getData()).getHeader().getID());
    }
    Message tcpQuery = query("tcp.example.", Type.A);
    try (Socket tcp = tcpClient(port)) {
      writeFramed(tcp, tcpQuery);
      assertEquals(tcpQuery.getHeader().getID(), readFramed(tcp).getHeader().getID());
    }
  }

  @Test
  void whenTcpCannotBindTheUdpSocketIsReleasedAndTheErrorNamesTheAddress() throws Exception {
    try (ServerSocket squatter = tcpSquatterWithFreeUdpTwin()) {
      int port = squatter.getLocalPort();
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
      DnsFrontend frontend = new DnsFrontend(vertx, address, handler, FrontendLimits.defaults(), FrontendMetrics.NOOP);

      ExecutionException failure = assertThrows(ExecutionException.class, () -> onContext(context, frontend::start));

      assertInstanceOf(FrontendBindException.class, failure.getCause());
      assertTrue(failure.getCause().getMessage().contains("tcp 127.0.0.1:" + port), failure.getCause().getMessage());
      assertUdpPortFreedSoon(address);
    }
  }

  /**
   * NIO frees a selector-registered socket's port only when the event loop next deregisters it,
   * a moment after close completes; so binding is retried for a bounded time.
   */
  private static void assertUdpPortFreedSoon(InetSocketAddress address) throws InterruptedException {
    long deadline = System.nanoTime() + FrontendTestSupport.WAIT.toNanos();
    while (true) {
      try {
        new DatagramSocket(address).close();
        return;
      } catch (java.net.SocketException stillBound) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("UDP port " + address + " was never released", stillBound);
        }
        Thread.sleep(10);
      }
    }
  }

  /**
   * A TCP listener on a port whose UDP twin is free. Other test classes running in parallel
   * hold UDP ports too, so a random TCP port's twin is checked (bounded retries).
   */
  private static ServerSocket tcpSquatterWithFreeUdpTwin() throws Exception {
    for (int attempt = 0; attempt < 20; attempt++) {
      ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      try {
        new DatagramSocket(new InetSocketAddress("127.0.0.1", squatter.getLocalPort())).close();
        return squatter;
      } catch (java.net.SocketException inUse) {
        squatter.close();
      }
    }
    throw new AssertionError("no port with both TCP and UDP free");
  }
}
