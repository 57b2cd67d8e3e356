package io.dnssecproxy.server;

import static io.dnssecproxy.server.FrontendTestSupport.answer;
import static io.dnssecproxy.server.FrontendTestSupport.await;
import static io.dnssecproxy.server.FrontendTestSupport.frame;
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
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class TcpFrontendTest {

  private Vertx vertx;
  private Context context;
  private TcpFrontend frontend;
  private final RecordingFrontendMetrics metrics = new RecordingFrontendMetrics();
  private final List<ClientQuery> seen = new CopyOnWriteArrayList<>();
  private volatile QueryHandler behaviour = q -> Future.succeededFuture(answer(q.message(), 1));

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private void start(FrontendLimits limits) throws Exception {
    QueryHandler recording = q -> {
      seen.add(q);
      return behaviour.handle(q);
    };
    frontend = new TcpFrontend(vertx, new InetSocketAddress("127.0.0.1", 0), recording, limits, metrics);
    onContext(context, frontend::start);
  }

  private void start() throws Exception {
    start(FrontendLimits.defaults());
  }

  /** Blocks until the server closes the connection; fails if it is still open after the wait. */
  private static void assertClosedByServer(Socket socket) throws Exception {
    assertEquals(-1, socket.getInputStream().read(), "expected end of stream");
  }

  @Test
  void answersAQueryOverTcp() throws Exception {
    start();
    try (Socket socket = tcpClient(frontend.actualPort())) {
      Message query = query("example.com.", Type.A);
      writeFramed(socket, query);

      Message response = readFramed(socket);

      assertEquals(query.getHeader().getID(), response.getHeader().getID());
      assertEquals(1, response.getSection(Section.ANSWER).size());
      assertEquals(Transport.TCP, seen.get(0).transport());
    }
  }

  @Test
  void pipelinedQueriesAreAnsweredAsTheyCompleteEvenInReverseOrder() throws Exception {
    List<Promise<Message>> pending = new ArrayList<>(); // touched only on the event loop
    behaviour = q -> {
      Promise<Message> promise = Promise.promise();
      pending.add(promise);
      Message query = q.message();
      Future<Message> answer = promise.future().map(ignored -> answer(query, 1));
      if (pending.size() == 3) {
        // On a later turn of the loop, so all three answers are being awaited by then.
        context.runOnContext(v -> {
          for (int i = 2; i >= 0; i--) {
            pending.get(i).complete();
          }
        });
      }
      return answer;
    };
    start();
    Message[] queries = {
      query("first.example.", Type.A), query("second.example.", Type.A), query("third.example.", Type.A)
    };
    try (Socket socket = tcpClient(frontend.actualPort())) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (Message q : queries) {
        all.write(frame(q.toWire()));
      }
      socket.getOutputStream().write(all.toByteArray()); // three messages in one segment

      for (int i = 2; i >= 0; i--) {
        Message response = readFramed(socket);
        assertEquals(queries[i].getHeader().getID(), response.getHeader().getID());
        assertEquals(queries[i].getQuestion(), response.getQuestion());
      }
    }
  }

  @Test
  void aMessageSentOneByteAtATimeIsReassembled() throws Exception {
    start();
    Message query = query("split.example.", Type.AAAA);
    byte[] framed = frame(query.toWire());
    try (Socket socket = tcpClient(frontend.actualPort())) {
      OutputStream out = socket.getOutputStream();
      for (byte b : framed) {
        out.write(b);
        out.flush();
        Thread.sleep(1); // pacing so the bytes travel in separate segments; not an assertion
      }

      Message response = readFramed(socket);

      assertEquals(query.getHeader().getID(), response.getHeader().getID());
      assertEquals(query.getQuestion(), response.getQuestion());
    }
  }

  @Test
  void anIdleConnectionIsClosedAfterTheTimeout() throws Exception {
    start(FrontendLimits.defaults().withTcpIdleTimeout(Duration.ofMillis(300)));
    try (Socket socket = tcpClient(frontend.actualPort())) {
      writeFramed(socket, query("before-idle.example.", Type.A));
      readFramed(socket);

      long start = System.nanoTime();
      assertClosedByServer(socket);
      long waitedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(waitedMs >= 200, "closed after " + waitedMs + " ms, before the idle timeout");
    }
  }

  @Test
  void aPendingQueryKeepsTheConnectionOpenPastTheIdleTimeout() throws Exception {
    Promise<Message> slow = Promise.promise();
    behaviour = q -> slow.future().map(ignored -> answer(q.message(), 1));
    start(FrontendLimits.defaults().withTcpIdleTimeout(Duration.ofMillis(100)));
    try (Socket socket = tcpClient(frontend.actualPort())) {
      Message query = query("slow.example.", Type.A);
      writeFramed(socket, query);
      // Answer after three idle periods: the connection must still be there to carry it.
      vertx.setTimer(350, id -> slow.complete());

      assertEquals(query.getHeader().getID(), readFramed(socket).getHeader().getID());
    }
  }

  @Test
  void connectionsOverTheCapAreClosedAtOnceAndCounted() throws Exception {
    start(FrontendLimits.defaults().withMaxTcpConnections(2));
    try (Socket a = tcpClient(frontend.actualPort()); Socket b = tcpClient(frontend.actualPort())) {
      // A round trip on each proves both were accepted before the third arrives.
      writeFramed(a, query("a.example.", Type.A));
      readFramed(a);
      writeFramed(b, query("b.example.", Type.A));
      readFramed(b);

      try (Socket c = tcpClient(frontend.actualPort())) {
        assertClosedByServer(c);
      }
      assertEquals(1, metrics.count("tcpRejected"));
      writeFramed(a, query("still-works.example.", Type.A));
      assertEquals(Rcode.NOERROR, readFramed(a).getRcode());
    }
  }

  @Test
  void aClosedConnectionFreesItsPlaceUnderTheCap() throws Exception {
    start(FrontendLimits.defaults().withMaxTcpConnections(1));
    try (Socket a = tcpClient(frontend.actualPort())) {
      writeFramed(a, query("a.example.", Type.A));
      readFramed(a);
    }
    Socket b = null;
    for (int attempt = 0; attempt < 50 && b == null; attempt++) {
      // The server notices the close asynchronously; retry until it has (bounded).
      Socket candidate = tcpClient(frontend.actualPort());
      writeFramed(candidate, query("b.example.", Type.A));
      try {
        readFramed(candidate);
        b = candidate;
      } catch (java.io.IOException rejected) {
        candidate.close();
        Thread.sleep(20);
      }
    }
    assertTrue(b != null, "a new connection was never accepted after the first closed");
    b.close();
  }

  @Test
  void aZeroLengthMessageClosesTheConnection() throws Exception {
    start();
    try (Socket socket = tcpClient(frontend.actualPort())) {
      socket.getOutputStream().write(new byte[] {0, 0});

      assertClosedByServer(socket);
      assertEquals(1, metrics.count("malformed.tcp"));
    }
  }

  @Test
  void aHandlerThatThrowsYieldsServfailOverTcp() throws Exception {
    behaviour = q -> {
      throw new IllegalStateException("boom");
    };
    start();
    try (Socket socket = tcpClient(frontend.actualPort())) {
      writeFramed(socket, query("throws.example.", Type.A));

      assertEquals(Rcode.SERVFAIL, readFramed(socket).getRcode());
      writeFramed(socket, query("again.example.", Type.A));
      assertEquals(Rcode.SERVFAIL, readFramed(socket).getRcode(), "connection survives the failure");
    }
  }

  @Test
  void zoneTransfersAreRefusedOverTcp() throws Exception {
    start();
    try (Socket socket = tcpClient(frontend.actualPort())) {
      writeFramed(socket, query("example.com.", Type.AXFR));

      assertEquals(Rcode.REFUSED, readFramed(socket).getRcode());
      assertTrue(seen.isEmpty());
    }
  }

  @Test
  void aLargeAnswerIsSentWholeOverTcp() throws Exception {
    behaviour = q -> Future.succeededFuture(answer(q.message(), 200));
    start();
    try (Socket socket = tcpClient(frontend.actualPort())) {
      writeFramed(socket, query("big.example.", Type.A));

      assertEquals(200, readFramed(socket).getSection(Section.ANSWER).size());
    }
  }

  @Test
  void theInFlightCapHoldsFurtherQueriesUntilOneCompletes() throws Exception {
    List<Promise<Message>> pending = new ArrayList<>(); // touched only on the event loop
    List<String> violations = new CopyOnWriteArrayList<>();
    behaviour = q -> {
      if (pending.stream().anyMatch(p -> !p.future().isComplete())) {
        violations.add("query " + q.message().getQuestion() + " reached the handler over the cap");
      }
      Promise<Message> promise = Promise.promise();
      pending.add(promise);
      return promise.future().map(ignored -> answer(q.message(), 1));
    };
    start(FrontendLimits.defaults().withMaxTcpInFlightPerConnection(1));
    Message first = query("one.example.", Type.A);
    Message second = query("two.example.", Type.A);
    try (Socket socket = tcpClient(frontend.actualPort())) {
      ByteArrayOutputStream both = new ByteArrayOutputStream();
      both.write(frame(first.toWire()));
      both.write(frame(second.toWire()));
      socket.getOutputStream().write(both.toByteArray());

      // Complete whatever is pending, twice; the second must only arrive after the first is done.
      for (int i = 0; i < 2; i++) {
        awaitPending(pending, i + 1);
        int index = i;
        context.runOnContext(v -> pending.get(index).complete());
        readFramed(socket);
      }
    }
    assertEquals(List.of(), violations);
    assertEquals(2, seen.size());
  }

  private static void awaitPending(List<Promise<Message>> pending, int size) throws InterruptedException {
    long deadline = System.nanoTime() + FrontendTestSupport.WAIT.toNanos();
    while (pending.size() < size) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("handler saw " + pending.size() + " queries, expected " + size);
      }
      Thread.sleep(5);
    }
  }

  @Test
  void aPortInUseFailsStartWithAMessageNamingTheAddress() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      InetSocketAddress taken = new InetSocketAddress("127.0.0.1", squatter.getLocalPort());
      TcpFrontend clash = new TcpFrontend(vertx, taken, q -> null, FrontendLimits.defaults(), FrontendMetrics.NOOP);

      ExecutionException failure = assertThrows(ExecutionException.class, () -> onContext(context, clash::start));

      assertInstanceOf(FrontendBindException.class, failure.getCause());
      assertTrue(failure.getCause().getMessage().contains("tcp 127.0.0.1:" + squatter.getLocalPort()),
          failure.getCause().getMessage());
    }
  }
}
