package io.dnssecproxy.server;

import static io.dnssecproxy.server.FrontendTestSupport.answer;
import static io.dnssecproxy.server.FrontendTestSupport.await;
import static io.dnssecproxy.server.FrontendTestSupport.ednsQuery;
import static io.dnssecproxy.server.FrontendTestSupport.onContext;
import static io.dnssecproxy.server.FrontendTestSupport.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Every behaviour on both transports: NIO (tests, fallback) and native epoll (what the proxy runs). */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"nio", "epoll"})
class UdpFrontendTest {

  @Parameter
  String transport;

  private Vertx vertx;
  private Context context;
  private UdpFrontend frontend;
  private DatagramSocket client;
  private final RecordingFrontendMetrics metrics = new RecordingFrontendMetrics();
  private final List<ClientQuery> seen = new CopyOnWriteArrayList<>();
  /** What the fake handler does; tests replace it before sending. */
  private volatile QueryHandler behaviour = q -> Future.succeededFuture(answer(q.message(), 1));

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(transport.equals("epoll")));
    assertEquals(transport.equals("epoll"), vertx.isNativeTransportEnabled(),
        "native transport: " + vertx.unavailableNativeTransportCause());
    context = vertx.getOrCreateContext();
    client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    client.setSoTimeout((int) FrontendTestSupport.WAIT.toMillis());
  }

  @AfterEach
  void tearDown() throws Exception {
    client.close();
    await(vertx.close());
  }

  private void start(FrontendLimits limits) throws Exception {
    QueryHandler recording = q -> {
      seen.add(q);
      return behaviour.handle(q);
    };
    frontend = new UdpFrontend(vertx, new InetSocketAddress("127.0.0.1", 0), recording, limits, metrics);
    onContext(context, frontend::start);
  }

  private void start() throws Exception {
    start(FrontendLimits.defaults());
  }

  private void send(byte[] wire) throws Exception {
    client.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), frontend.actualPort()));
  }

  private byte[] receiveBytes() throws Exception {
    byte[] buffer = new byte[65535];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    client.receive(packet);
    byte[] wire = new byte[packet.getLength()];
    System.arraycopy(buffer, 0, wire, 0, wire.length);
    return wire;
  }

  private Message exchange(Message query) throws Exception {
    send(query.toWire());
    return new Message(receiveBytes());
  }

  @Test
  void answersAQueryWithTheHandlersResponseAndTellsItTheTransportAndClient() throws Exception {
    start();
    Message query = query("example.com.", Type.A);

    Message response = exchange(query);

    assertEquals(query.getHeader().getID(), response.getHeader().getID());
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertEquals(1, response.getSection(Section.ANSWER).size());
    ClientQuery handled = seen.get(0);
    assertEquals(Transport.UDP, handled.transport());
    assertEquals(client.getLocalPort(), handled.client().getPort());
    assertEquals(query.getQuestion(), handled.message().getQuestion());
  }

  @Test
  void aBurstOfDirectAnswersIsAllSentThoughTheyAreFlushedOncePerRead() throws Exception {
    QueryHandler direct = new QueryHandler() {
      @Override
      public Future<Message> handle(ClientQuery query) {
        return Future.failedFuture("the direct path must answer every query of the burst");
      }

      @Override
      public byte[] answerDirectly(byte[] query, Transport t, int maxUdpResponse) {
        return answer(parse(query), 1).toWire();
      }
    };
    frontend = new UdpFrontend(vertx, new InetSocketAddress("127.0.0.1", 0), direct, FrontendLimits.defaults(), metrics);
    onContext(context, frontend::start);
    Set<Integer> sent = sendBurst("burst", 1000);

    Set<Integer> answered = receiveIds(sent.size());

    assertEquals(sent, answered);
    assertEquals(64, metrics.count("query.udp"));
  }

  @Test
  void aBurstAnsweredAtOnceByTheHandlerIsAllSentAndALateAnswerToo() throws Exception {
    Promise<Message> held = holdNamesStartingWith("late");
    start();
    Message late = query("late.example.", Type.A);
    late.getHeader().setID(999);
    send(late.toWire());
    Set<Integer> sent = sendBurst("now", 2000);

    Set<Integer> answered = receiveIds(sent.size());
    context.runOnContext(v -> held.complete(null)); // completes outside any read burst

    assertEquals(sent, answered);
    assertEquals(999, new Message(receiveBytes()).getHeader().getID(), "sent at once, not left for a later flush");
  }

  /**
   * Makes the handler answer names starting with {@code prefix} only once the returned promise
   * completes, and every other name at once.
   */
  private Promise<Message> holdNamesStartingWith(String prefix) {
    Promise<Message> held = Promise.promise();
    behaviour = q -> q.message().getQuestion().getName().toString().startsWith(prefix)
        ? held.future().map(ignored -> answer(q.message(), 1))
        : Future.succeededFuture(answer(q.message(), 1));
    return held;
  }

  /** Sends 64 queries back to back, with IDs from {@code firstId}; returns the IDs. */
  private Set<Integer> sendBurst(String label, int firstId) throws Exception {
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < 64; i++) {
      Message query = query(label + i + ".example.", Type.A);
      query.getHeader().setID(firstId + i);
      ids.add(firstId + i);
      send(query.toWire());
    }
    return ids;
  }

  /** Receives {@code count} answers, each with the handler's one A record; returns their IDs. */
  private Set<Integer> receiveIds(int count) throws Exception {
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < count; i++) {
      Message response = new Message(receiveBytes());
      assertEquals(1, response.getSection(Section.ANSWER).size());
      ids.add(response.getHeader().getID());
    }
    return ids;
  }

  private static Message parse(byte[] wire) {
    try {
      return new Message(wire);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void garbageAfterAValidHeaderGetsFormerrWithTheSameId() throws Exception {
    start();
    byte[] wire = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, (byte) 0xFF, 0x7A, 0x01};

    Message response = new Message(receiveAfter(wire));

    assertEquals(0x1234, response.getHeader().getID());
    assertEquals(Rcode.FORMERR, response.getRcode());
    assertTrue(response.getHeader().getFlag(Flags.QR));
    assertTrue(seen.isEmpty(), "the handler must not see malformed messages");
    assertEquals(1, metrics.count("malformed.udp"));
  }

  @Test
  void formerrCopiesTheQuestionWhenOnlyALaterSectionIsBroken() throws Exception {
    start();
    Message query = query("broken.example.", Type.AAAA);
    byte[] wire = query.toWire();
    wire[7] = 1; // claims one answer record that is not there

    Message response = new Message(receiveAfter(wire));

    assertEquals(Rcode.FORMERR, response.getRcode());
    assertEquals(query.getQuestion(), response.getQuestion());
  }

  private byte[] receiveAfter(byte[] wire) throws Exception {
    send(wire);
    return receiveBytes();
  }

  @Test
  void shortGarbageIsDroppedAndTheNextQueryIsStillAnswered() throws Exception {
    start();
    send(new byte[] {1, 2, 3, 4, 5});
    Message query = query("after-garbage.example.", Type.A);

    Message first = exchange(query);

    assertEquals(query.getHeader().getID(), first.getHeader().getID(), "the garbage must get no answer");
    assertEquals(Rcode.NOERROR, first.getRcode());
    assertEquals(1, metrics.count("dropped.udp.TOO_SHORT"));
  }

  @Test
  void aResponsePacketIsNeverAnswered() throws Exception {
    start();
    Message reflected = answer(query("loop.example.", Type.A), 1);
    send(reflected.toWire());
    Message query = query("next.example.", Type.A);

    Message first = exchange(query);

    assertEquals(query.getHeader().getID(), first.getHeader().getID());
    assertEquals(1, metrics.count("dropped.udp.RESPONSE_PACKET"));
  }

  @ParameterizedTest
  @ValueSource(ints = {Opcode.NOTIFY, Opcode.UPDATE, Opcode.IQUERY, Opcode.STATUS})
  void opcodesOtherThanQueryGetNotimp(int opcode) throws Exception {
    start();
    Message query = query("example.com.", Type.SOA);
    query.getHeader().setOpcode(opcode);

    Message response = exchange(query);

    assertEquals(Rcode.NOTIMP, response.getRcode());
    assertEquals(opcode, response.getHeader().getOpcode());
    assertTrue(seen.isEmpty());
  }

  @ParameterizedTest
  @ValueSource(ints = {Type.AXFR, Type.IXFR})
  void zoneTransfersAreRefused(int type) throws Exception {
    start();

    Message response = exchange(query("example.com.", type));

    assertEquals(Rcode.REFUSED, response.getRcode());
    assertTrue(seen.isEmpty());
  }

  @Test
  void twoQuestionsGetFormerr() throws Exception {
    start();
    Message query = query("one.example.", Type.A);
    query.addRecord(org.xbill.DNS.Record.newRecord(org.xbill.DNS.Name.fromString("two.example."), Type.A, 1), Section.QUESTION);

    Message response = exchange(query);

    assertEquals(Rcode.FORMERR, response.getRcode());
    assertTrue(seen.isEmpty());
  }

  @Test
  void ednsVersionAboveZeroGetsBadvers() throws Exception {
    start();
    Message query = query("example.com.", Type.A);
    query.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);

    Message response = exchange(query);

    assertEquals(Rcode.BADVERS, response.getRcode());
    assertNotNull(response.getOPT());
    assertEquals(0, response.getOPT().getVersion());
    assertTrue(seen.isEmpty());
  }

  @Test
  void anAnswerTooBigFor512BytesWithoutEdnsIsTruncated() throws Exception {
    start();
    behaviour = q -> Future.succeededFuture(answer(q.message(), 40));
    Message query = query("big.example.", Type.A);
    assertTrue(answer(query, 40).toWire().length > 512, "test answer must exceed 512 bytes");

    byte[] wire = receiveAfter(query.toWire());
    Message response = new Message(wire);

    assertTrue(wire.length <= 512);
    assertTrue(response.getHeader().getFlag(Flags.TC));
    assertTrue(response.getSection(Section.ANSWER).isEmpty());
    assertEquals(query.getQuestion(), response.getQuestion());
    assertEquals(query.getHeader().getID(), response.getHeader().getID());
    assertNull(response.getOPT());
    assertEquals(1, metrics.count("truncated"));
  }

  @Test
  void theSameAnswerIsSentWholeWhenEdns1232AllowsIt() throws Exception {
    start();
    behaviour = q -> Future.succeededFuture(answer(q.message(), 40));

    byte[] wire = receiveAfter(ednsQuery("big.example.", Type.A, 1232).toWire());
    Message response = new Message(wire);

    assertTrue(wire.length > 512);
    assertFalse(response.getHeader().getFlag(Flags.TC));
    assertEquals(40, response.getSection(Section.ANSWER).size());
    assertNotNull(response.getOPT());
    assertEquals(0, metrics.count("truncated"));
  }

  @Test
  void anEdnsPayloadBelow512StillAllows512Bytes() throws Exception {
    start();
    behaviour = q -> Future.succeededFuture(answer(q.message(), 25)); // about 450 bytes

    Message response = exchange(ednsQuery("mid.example.", Type.A, 100));

    assertFalse(response.getHeader().getFlag(Flags.TC));
    assertEquals(25, response.getSection(Section.ANSWER).size());
  }

  @Test
  void truncationKeepsTheOptRecordForAnEdnsClient() throws Exception {
    start();
    behaviour = q -> Future.succeededFuture(answer(q.message(), 100)); // about 1.6 kB

    byte[] wire = receiveAfter(ednsQuery("huge.example.", Type.A, 1232).toWire());
    Message response = new Message(wire);

    assertTrue(wire.length <= 1232);
    assertTrue(response.getHeader().getFlag(Flags.TC));
    assertTrue(response.getSection(Section.ANSWER).isEmpty());
    assertNotNull(response.getOPT());
  }

  @Test
  void noOptIsSentToAClientThatSentNoneEvenIfTheHandlerAddsOne() throws Exception {
    start();
    behaviour = q -> {
      Message response = answer(q.message(), 1);
      response.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
      return Future.succeededFuture(response);
    };

    Message response = exchange(query("plain.example.", Type.A));

    assertNull(response.getOPT());
    assertEquals(1, response.getSection(Section.ANSWER).size());
  }

  @Test
  void theClientsIdIsEnforcedOnTheHandlersResponse() throws Exception {
    start();
    behaviour = q -> {
      Message response = answer(q.message(), 1);
      response.getHeader().setID(q.message().getHeader().getID() ^ 0x5555);
      return Future.succeededFuture(response);
    };
    Message query = query("id.example.", Type.A);

    assertEquals(query.getHeader().getID(), exchange(query).getHeader().getID());
  }

  @Test
  void aHandlerThatThrowsYieldsServfailAndTheSocketKeepsWorking() throws Exception {
    start();
    behaviour = q -> {
      throw new IllegalStateException("boom");
    };

    Message response = exchange(query("throws.example.", Type.A));

    assertEquals(Rcode.SERVFAIL, response.getRcode());
    assertEquals(1, metrics.count("handlerFailed.udp"));
    behaviour = q -> Future.succeededFuture(answer(q.message(), 1));
    assertEquals(Rcode.NOERROR, exchange(query("recovered.example.", Type.A)).getRcode());
  }

  @Test
  void aFailedHandlerFutureYieldsServfail() throws Exception {
    start();
    behaviour = q -> Future.failedFuture(new RuntimeException("upstream gone"));

    Message response = exchange(query("fails.example.", Type.A));

    assertEquals(Rcode.SERVFAIL, response.getRcode());
    assertEquals(query("x.", Type.A).getHeader().getOpcode(), response.getHeader().getOpcode());
  }

  @Test
  void aHandlerReturningNullYieldsServfail() throws Exception {
    start();
    behaviour = q -> null;

    assertEquals(Rcode.SERVFAIL, exchange(query("null.example.", Type.A)).getRcode());
  }

  @Test
  void queriesBeyondTheInFlightCapAreDropped() throws Exception {
    Promise<Message> held = holdNamesStartingWith("held");
    start(FrontendLimits.defaults().withMaxUdpInFlight(1));
    Message first = query("held.example.", Type.A);
    send(first.toWire());
    send(query("overflow.example.", Type.A).toWire());

    metrics.awaitCount("dropped.udp.OVERLOAD", 1, FrontendTestSupport.WAIT);
    context.runOnContext(v -> held.complete(null));

    assertEquals(first.getHeader().getID(), new Message(receiveBytes()).getHeader().getID());
    assertEquals(1, seen.size());
  }

  @Test
  void aPortInUseFailsStartWithAMessageNamingTheAddress() throws Exception {
    try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      InetSocketAddress taken = new InetSocketAddress("127.0.0.1", squatter.getLocalPort());
      UdpFrontend clash = new UdpFrontend(vertx, taken, q -> null, FrontendLimits.defaults(), FrontendMetrics.NOOP);

      ExecutionException failure = assertThrows(ExecutionException.class, () -> onContext(context, clash::start));

      assertInstanceOf(FrontendBindException.class, failure.getCause());
      assertTrue(failure.getCause().getMessage().contains("udp 127.0.0.1:" + squatter.getLocalPort()),
          failure.getCause().getMessage());
    }
  }

  @Test
  void theActualPortIsExposedWhenPortZeroIsRequested() throws Exception {
    start();
    assertTrue(frontend.actualPort() > 0);
  }

}
