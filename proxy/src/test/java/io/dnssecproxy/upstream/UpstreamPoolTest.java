package io.dnssecproxy.upstream;

import static io.dnssecproxy.upstream.UpstreamTestSupport.address;
import static io.dnssecproxy.upstream.UpstreamTestSupport.answer;
import static io.dnssecproxy.upstream.UpstreamTestSupport.await;
import static io.dnssecproxy.upstream.UpstreamTestSupport.failureOnContext;
import static io.dnssecproxy.upstream.UpstreamTestSupport.firstAddress;
import static io.dnssecproxy.upstream.UpstreamTestSupport.onContext;
import static io.dnssecproxy.upstream.UpstreamTestSupport.question;
import static io.dnssecproxy.upstream.UpstreamTestSupport.responseTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.upstream.FakeUpstream.Datagram;
import io.dnssecproxy.upstream.UpstreamException.Kind;
import io.dnssecproxy.testing.MutableClock;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class UpstreamPoolTest {

  /** Short tries keep the silent-upstream tests fast; the budget allows two of them. */
  private static final UpstreamPoolOptions FAST = UpstreamPoolOptions.defaults()
      .withTryTimeout(Duration.ofMillis(250))
      .withQuestionBudget(Duration.ofMillis(600));

  private static final Function<Message, List<Datagram>> SILENT = q -> List.of();

  private Vertx vertx;
  private Context context;
  private FakeUpstream first;
  private FakeUpstream second;
  private final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
  private final RecordingUpstreamMetrics metrics = new RecordingUpstreamMetrics();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    first = new FakeUpstream(vertx).start(false);
    second = new FakeUpstream(vertx).start(false);
    // Distinguishable answers: 192.0.2.1 from the first upstream, 192.0.2.2 from the second.
    second.udp = q -> List.of(Datagram.of(answerWith(q, 2)));
  }

  @AfterEach
  void tearDown() throws Exception {
    await(first.close());
    await(second.close());
    await(vertx.close());
  }

  private static Message answerWith(Message query, int lastOctet) {
    Message response = responseTo(query, Rcode.NOERROR);
    response.addRecord(
        new org.xbill.DNS.ARecord(query.getQuestion().getName(), 1, 300, address(lastOctet)),
        org.xbill.DNS.Section.ANSWER);
    return response;
  }

  private UpstreamPool pool(UpstreamPoolOptions options, FakeUpstream... upstreams) {
    List<UpstreamServerClient> clients = java.util.Arrays.stream(upstreams)
        .map(f -> new UpstreamServerClient(vertx, f.address(), metrics))
        .toList();
    return new UpstreamPool(clients, options, metrics, clock);
  }

  private Message ask(UpstreamPool pool) throws Exception {
    return onContext(context, () -> pool.query(question("example.com.", Type.A)));
  }

  private UpstreamException failure(UpstreamPool pool) throws Exception {
    Throwable failure = failureOnContext(context, () -> pool.query(question("example.com.", Type.A)));
    assertInstanceOf(UpstreamException.class, failure);
    return (UpstreamException) failure;
  }

  @Test
  void theFirstUpstreamAnswersWhenItIsHealthy() throws Exception {
    UpstreamPool pool = pool(FAST, first, second);

    assertEquals(address(1), firstAddress(ask(pool)));
    assertEquals(0, second.udpQueries.get());
  }

  @Test
  void aSilentFirstUpstreamFailsOverToTheSecond() throws Exception {
    first.udp = SILENT;
    UpstreamPool pool = pool(FAST, first, second);
    long start = System.nanoTime();

    Message response = ask(pool);

    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(address(2), firstAddress(response));
    assertEquals(1, first.udpQueries.get());
    assertEquals(1, metrics.count("failover.to", second.address()));
    assertTrue(elapsedMs < 3000, "took " + elapsedMs + " ms"); // nominally 250-500 ms; slack for a loaded machine
  }

  @Test
  void aDownUpstreamIsSkippedUntilItsBackoffHasPassed() throws Exception {
    first.udp = SILENT;
    UpstreamPool pool = pool(FAST.withFailuresBeforeDown(1).withBackoff(Duration.ofSeconds(5), Duration.ofSeconds(60)), first, second);
    ask(pool); // first times out and is marked down
    assertTrue(pool.isDown(first.address()));

    assertEquals(address(2), firstAddress(ask(pool)));
    assertEquals(1, first.udpQueries.get(), "a down upstream must not be asked");

    clock.advance(Duration.ofSeconds(5));
    first.udp = q -> List.of(Datagram.of(answerWith(q, 1)));
    assertEquals(address(1), firstAddress(ask(pool)), "after the backoff the first is preferred again");
    assertEquals(2, first.udpQueries.get());
    assertFalse(pool.isDown(first.address()));
    assertEquals(1, metrics.count("up", first.address()));
  }

  @Test
  void anUpstreamIsMarkedDownOnlyAfterTheConfiguredNumberOfFailures() throws Exception {
    first.udp = SILENT;
    UpstreamPool pool = pool(FAST.withFailuresBeforeDown(2), first, second);

    ask(pool);
    assertFalse(pool.isDown(first.address()));
    ask(pool);
    assertTrue(pool.isDown(first.address()));
    assertEquals(1, metrics.count("down", first.address()));
  }

  @Test
  void servfailFromTheFirstUpstreamIsAnsweredByTheSecond() throws Exception {
    first.udp = q -> List.of(Datagram.of(responseTo(q, Rcode.SERVFAIL)));
    UpstreamPool pool = pool(FAST, first, second);

    Message response = ask(pool);

    assertEquals(Rcode.NOERROR, response.getRcode());
    assertEquals(address(2), firstAddress(response));
    assertFalse(pool.isDown(first.address()), "SERVFAIL is an answer: the upstream is alive");
  }

  @Test
  void refusedFromTheFirstUpstreamIsAnsweredByTheSecond() throws Exception {
    first.udp = q -> List.of(Datagram.of(responseTo(q, Rcode.REFUSED)));
    UpstreamPool pool = pool(FAST, first, second);

    assertEquals(Rcode.NOERROR, ask(pool).getRcode());
  }

  @Test
  void whenAllUpstreamsAnswerServfailTheServfailIsReturned() throws Exception {
    first.udp = q -> List.of(Datagram.of(responseTo(q, Rcode.SERVFAIL)));
    second.udp = q -> List.of(Datagram.of(responseTo(q, Rcode.SERVFAIL)));
    UpstreamPool pool = pool(FAST, first, second);

    Message response = ask(pool);

    assertEquals(Rcode.SERVFAIL, response.getRcode());
    assertEquals(1, first.udpQueries.get());
    assertEquals(1, second.udpQueries.get());
  }

  @Test
  void aServfailBeatsALaterTimeout() throws Exception {
    first.udp = q -> List.of(Datagram.of(responseTo(q, Rcode.SERVFAIL)));
    second.udp = SILENT;
    UpstreamPool pool = pool(FAST, first, second);

    assertEquals(Rcode.SERVFAIL, ask(pool).getRcode());
  }

  @Test
  void theUpstreamsAdBitIsCleared() throws Exception {
    first.udp = q -> {
      Message response = answer(q);
      response.getHeader().setFlag(Flags.AD);
      return List.of(Datagram.of(response));
    };
    UpstreamPool pool = pool(FAST, first, second);

    assertFalse(ask(pool).getHeader().getFlag(Flags.AD));
  }

  @Test
  void silentUpstreamsFailWithTimeoutWithinTheQuestionBudget() throws Exception {
    first.udp = SILENT;
    second.udp = SILENT;
    UpstreamPool pool = pool(FAST, first, second);
    long start = System.nanoTime();

    UpstreamException failure = failure(pool);

    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(Kind.TIMEOUT, failure.kind());
    assertTrue(elapsedMs < 3000, "took " + elapsedMs + " ms"); // nominally 250-500 ms; slack for a loaded machine
    assertEquals(1, first.udpQueries.get());
    assertEquals(1, second.udpQueries.get());
  }

  @Test
  void aFailoverTryStillStartsWhileEnoughBudgetIsLeft() throws Exception {
    // The first upstream "takes" 500 ms of a 1300 ms budget (on the test clock), leaving room
    // for a full 300 ms try: enough for a loopback answer even on a loaded CI machine.
    first.udp = q -> {
      clock.advance(Duration.ofMillis(500));
      return List.of();
    };
    UpstreamPool pool = pool(FAST.withTryTimeout(Duration.ofMillis(300)).withQuestionBudget(Duration.ofMillis(1300)), first, second);

    assertEquals(address(2), firstAddress(ask(pool)));
  }

  @Test
  void noFailoverTryStartsOnceTheQuestionBudgetIsSpent() throws Exception {
    first.udp = q -> {
      clock.advance(Duration.ofMillis(580)); // 20 ms left: below the useful minimum
      return List.of();
    };
    UpstreamPool pool = pool(FAST, first, second);

    assertEquals(Kind.TIMEOUT, failure(pool).kind());
    assertEquals(0, second.udpQueries.get());
  }

  @Test
  void whenAllAreDownTheyAreStillTriedAndTheFailureSaysAllDown() throws Exception {
    first.udp = SILENT;
    second.udp = SILENT;
    UpstreamPool pool = pool(FAST.withFailuresBeforeDown(1), first, second);
    assertEquals(Kind.TIMEOUT, failure(pool).kind());

    assertEquals(Kind.ALL_UPSTREAMS_DOWN, failure(pool).kind());
    assertEquals(2, first.udpQueries.get(), "down upstreams are still tried when none is up");
    assertEquals(2, second.udpQueries.get());

    second.udp = q -> List.of(Datagram.of(answerWith(q, 2)));
    assertEquals(Rcode.NOERROR, ask(pool).getRcode(), "recovery is noticed while all are down");
    assertFalse(pool.isDown(second.address()));
  }

  @Test
  void whenAllAreDownTheLeastRecentlyFailedIsTriedFirst() throws Exception {
    first.udp = SILENT;
    second.udp = SILENT;
    UpstreamPool pool = pool(FAST.withFailuresBeforeDown(1).withMaxAttempts(1), first, second);
    failure(pool); // first fails at t0
    clock.advance(Duration.ofMillis(10));
    failure(pool); // second is tried now that first is down, fails at t0+10ms
    assertEquals(1, first.udpQueries.get());
    assertEquals(1, second.udpQueries.get());

    failure(pool);

    assertEquals(2, first.udpQueries.get(), "first failed longest ago, so it goes first");
    assertEquals(1, second.udpQueries.get());
  }

  @Test
  void aSingleUpstreamIsTriedTwiceSoOneLostPacketIsSurvived() throws Exception {
    AtomicInteger seen = new AtomicInteger();
    first.udp = q -> seen.incrementAndGet() == 1 ? List.of() : List.of(Datagram.of(answer(q)));
    UpstreamPool pool = pool(FAST, first);

    assertEquals(Rcode.NOERROR, ask(pool).getRcode());
    assertEquals(2, first.udpQueries.get());
  }
}
