package io.dnssecproxy.upstream;

import static io.dnssecproxy.upstream.UpstreamTestSupport.address;
import static io.dnssecproxy.upstream.UpstreamTestSupport.answer;
import static io.dnssecproxy.upstream.UpstreamTestSupport.await;
import static io.dnssecproxy.upstream.UpstreamTestSupport.failureOnContext;
import static io.dnssecproxy.upstream.UpstreamTestSupport.firstAddress;
import static io.dnssecproxy.upstream.UpstreamTestSupport.onContext;
import static io.dnssecproxy.upstream.UpstreamTestSupport.question;
import static io.dnssecproxy.upstream.UpstreamTestSupport.truncated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.upstream.FakeUpstream.Datagram;
import io.dnssecproxy.upstream.UpstreamException.Kind;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class UpstreamServerClientTest {

  private Vertx vertx;
  private Context context;
  private FakeUpstream fake;
  private UpstreamServerClient client;
  private final RecordingUpstreamMetrics metrics = new RecordingUpstreamMetrics();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    fake = new FakeUpstream(vertx).start(true);
    client = new UpstreamServerClient(vertx, fake.address(), metrics);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(fake.close());
    await(vertx.close());
  }

  private Message ask(String name, int type) throws Exception {
    return onContext(context, () -> client.query(question(name, type), Duration.ofSeconds(2)));
  }

  @Test
  void theQueryAsksForRecursionAndSignaturesWithCheckingDisabledAndEdns1232() throws Exception {
    ask("example.com.", Type.A);

    Message sent = fake.received.get(0);
    assertTrue(sent.getHeader().getFlag(Flags.RD), "RD");
    assertTrue(sent.getHeader().getFlag(Flags.CD), "CD");
    assertFalse(sent.getHeader().getFlag(Flags.QR), "QR");
    assertFalse(sent.getHeader().getFlag(Flags.AD), "AD");
    assertFalse(sent.getHeader().getFlag(Flags.TC), "TC");
    assertFalse(sent.getHeader().getFlag(Flags.AA), "AA");
    assertEquals(Opcode.QUERY, sent.getHeader().getOpcode());
    assertEquals(1, sent.getHeader().getCount(Section.QUESTION));
    assertEquals(0, sent.getHeader().getCount(Section.ANSWER));
    assertEquals(0, sent.getHeader().getCount(Section.AUTHORITY));
    assertEquals(1, sent.getHeader().getCount(Section.ADDITIONAL));
    OPTRecord opt = sent.getOPT();
    assertNotNull(opt);
    assertEquals(1232, opt.getPayloadSize());
    assertEquals(0, opt.getVersion());
    assertEquals(ExtendedFlags.DO, opt.getFlags());
    assertEquals(Name.fromString("example.com."), sent.getQuestion().getName());
    assertEquals(Type.A, sent.getQuestion().getType());
  }

  @Test
  void idsAndSourcePortsDifferFromQueryToQuery() throws Exception {
    for (int i = 0; i < 10; i++) {
      ask("q" + i + ".example.", Type.A);
    }

    Set<Integer> ids = new HashSet<>();
    fake.received.forEach(m -> ids.add(m.getHeader().getID()));
    Set<Integer> ports = new HashSet<>(fake.sourcePorts);
    // Random 16-bit IDs and kernel-chosen ports may collide once by chance; a fixed value or a
    // reused socket would give 1.
    assertTrue(ids.size() >= 9, "IDs: " + ids);
    assertTrue(ports.size() >= 9, "source ports: " + fake.sourcePorts);
  }

  @Test
  void forgedAndMismatchedResponsesAreIgnoredAndTheRightOneIsAccepted() throws Exception {
    fake.udp = q -> {
      Message wrongId = answer(q);
      wrongId.getHeader().setID(q.getHeader().getID() ^ 0x0101);
      Message wrongQuestion = UpstreamTestSupport.responseTo(q, 0);
      wrongQuestion.removeAllRecords(Section.QUESTION);
      wrongQuestion.addRecord(uncheckedQuestion("other.example.", Type.A), Section.QUESTION);
      Message wrongType = UpstreamTestSupport.responseTo(q, 0);
      wrongType.removeAllRecords(Section.QUESTION);
      wrongType.addRecord(uncheckedQuestion("example.com.", Type.AAAA), Section.QUESTION);
      Message notAResponse = answer(q);
      notAResponse.getHeader().unsetFlag(Flags.QR);
      Message right = answer(q, 2);
      return List.of(
          new Datagram(answer(q).toWire(), true),
          Datagram.of(wrongId),
          Datagram.of(wrongQuestion),
          Datagram.of(wrongType),
          Datagram.of(notAResponse),
          new Datagram(new byte[] {1, 2, 3}, false),
          Datagram.of(right));
    };

    Message accepted = ask("example.com.", Type.A);

    assertEquals(2, accepted.getSection(Section.ANSWER).size(), "only the last datagram has two records");
    InetSocketAddress up = fake.address();
    assertEquals(1, metrics.count("dropped.WRONG_SOURCE", up));
    assertEquals(1, metrics.count("dropped.WRONG_ID", up));
    assertEquals(2, metrics.count("dropped.WRONG_QUESTION", up));
    assertEquals(1, metrics.count("dropped.NOT_A_RESPONSE", up));
    assertEquals(1, metrics.count("dropped.MALFORMED", up));
  }

  @Test
  void theQuestionNameIsMatchedIgnoringCase() throws Exception {
    fake.udp = q -> {
      Message response = answer(q);
      response.removeAllRecords(Section.QUESTION);
      response.addRecord(uncheckedQuestion("ExAmPlE.CoM.", Type.A), Section.QUESTION);
      return List.of(Datagram.of(response));
    };

    Message accepted = ask("example.com.", Type.A);

    assertEquals(address(1), firstAddress(accepted));
  }

  @Test
  void aTruncatedUdpAnswerIsAskedAgainOverTcpAndTheFullAnswerReturned() throws Exception {
    fake.udp = q -> List.of(Datagram.of(truncated(q)));
    fake.tcp = q -> List.of(answer(q, 100));

    Message response = ask("big.example.", Type.A);

    assertEquals(100, response.getSection(Section.ANSWER).size());
    assertFalse(response.getHeader().getFlag(Flags.TC));
    assertEquals(1, fake.tcpQueries.get());
    assertEquals(1, metrics.count("tcpFallback", fake.address()));
    Message overTcp = fake.received.get(0);
    assertTrue(overTcp.getHeader().getFlag(Flags.CD));
  }

  @Test
  void aUdpAnswerLongerThanTheReadBufferIsAskedAgainOverTcp() throws Exception {
    int records = 1300; // about 21 KB: the kernel would cut it to UdpLeg.MAX_READ
    AtomicInteger sentBytes = new AtomicInteger();
    fake.udp = q -> {
      Datagram whole = Datagram.of(answer(q, records));
      sentBytes.set(whole.wire().length);
      return List.of(whole);
    };
    fake.tcp = q -> List.of(answer(q, records));

    Message response = ask("huge.example.", Type.A);

    assertTrue(sentBytes.get() > UdpLeg.MAX_READ, "sent " + sentBytes.get() + " bytes");
    assertEquals(records, response.getSection(Section.ANSWER).size());
    assertEquals(1, fake.tcpQueries.get());
    assertEquals(1, metrics.count("tcpFallback", fake.address()));
  }

  @Test
  void anOverlongUdpAnswerWithTheWrongIdIsIgnoredNotFollowedToTcp() throws Exception {
    fake.udp = q -> {
      Message forged = answer(q, 1300);
      forged.getHeader().setID(q.getHeader().getID() ^ 1);
      return List.of(Datagram.of(forged), Datagram.of(answer(q, 2)));
    };

    Message response = ask("huge.example.", Type.A);

    assertEquals(2, response.getSection(Section.ANSWER).size());
    assertEquals(0, fake.tcpQueries.get());
    assertEquals(1, metrics.count("dropped.WRONG_ID", fake.address()));
  }

  @Test
  void aMismatchedTcpAnswerIsIgnoredInFavourOfTheRightOne() throws Exception {
    fake.udp = q -> List.of(Datagram.of(truncated(q)));
    fake.tcp = q -> {
      Message wrongId = answer(q, 1);
      wrongId.getHeader().setID(q.getHeader().getID() ^ 1);
      return List.of(wrongId, answer(q, 3));
    };

    Message response = ask("big.example.", Type.A);

    assertEquals(3, response.getSection(Section.ANSWER).size());
    assertEquals(1, metrics.count("dropped.WRONG_ID", fake.address()));
  }

  @Test
  void aSilentUpstreamFailsWithTimeoutWithinTheTimeout() throws Exception {
    fake.udp = q -> List.of();
    long start = System.nanoTime();

    Throwable failure = failureOnContext(context, () -> client.query(question("slow.example.", Type.A), Duration.ofMillis(300)));

    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertInstanceOf(UpstreamException.class, failure);
    assertEquals(Kind.TIMEOUT, ((UpstreamException) failure).kind());
    // Nominally 300 ms; the upper bound leaves slack for a loaded machine.
    assertTrue(elapsedMs >= 250 && elapsedMs < 3000, "took " + elapsedMs + " ms");
    assertEquals(1, metrics.count("timeout", fake.address()));
  }

  @Test
  void aRefusedTcpConnectionIsANetworkError() throws Exception {
    FakeUpstream udpOnly = new FakeUpstream(vertx).start(false);
    try {
      udpOnly.udp = q -> List.of(Datagram.of(truncated(q)));
      UpstreamServerClient c = new UpstreamServerClient(vertx, udpOnly.address(), metrics);

      Throwable failure = failureOnContext(context, () -> c.query(question("big.example.", Type.A), Duration.ofSeconds(2)));

      assertInstanceOf(UpstreamException.class, failure);
      assertEquals(Kind.NETWORK_ERROR, ((UpstreamException) failure).kind());
      assertEquals(1, metrics.count("networkError", udpOnly.address()));
    } finally {
      await(udpOnly.close());
    }
  }

  private static org.xbill.DNS.Record uncheckedQuestion(String name, int type) {
    try {
      return UpstreamTestSupport.questionRecord(name, type);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
