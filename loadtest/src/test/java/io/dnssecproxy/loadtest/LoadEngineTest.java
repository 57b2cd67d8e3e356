package io.dnssecproxy.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The engine against {@link TestResponder}. */
@Timeout(60)
class LoadEngineTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  // long enough that a loaded CI machine still answers in time; drop.test. waits this long
  private static final Duration TIMEOUT = Duration.ofMillis(1500);

  private TestResponder responder;

  @BeforeEach
  void startResponder() throws Exception {
    responder = new TestResponder();
  }

  @AfterEach
  void stopResponder() throws Exception {
    responder.close();
  }

  private LoadEngine engine(int threads) throws Exception {
    return engine(threads, List.of(
        new QuerySpec(Name.fromString("a.test."), Type.A),
        new QuerySpec(Name.fromString("nx.test."), Type.A),
        new QuerySpec(Name.fromString("b.test."), Type.AAAA),
        new QuerySpec(Name.fromString("drop.test."), Type.A)));
  }

  private LoadEngine engine(int threads, List<QuerySpec> specs) throws Exception {
    byte[][] templates = QueryEncoder.encodeAll(specs, new QueryFlags(true, true, false, 1232));
    return new LoadEngine(threads, 2, new InetSocketAddress(LOOPBACK, responder.port()), LOOPBACK, templates, 50_000);
  }

  @Test
  void openLoopSendsExactlyRateTimesDurationAndCountsEveryOutcome() throws Exception {
    try (LoadEngine e = engine(1)) {
      StepResult r = e.run(StepPlan.openLoop(400, Duration.ofSeconds(1), 0, TIMEOUT));
      assertEquals(400, r.sent());
      assertEquals(300, r.answered(), "every query but drop.test. is answered");
      assertEquals(100, r.timeouts());
      assertEquals(300, r.authenticData());
      assertEquals(100L, r.rcodes().get("NXDOMAIN"));
      assertEquals(200L, r.rcodes().get("NOERROR"));
      assertEquals(25.0, r.lossPercent(), 1e-9);
      assertEquals(1.0, r.sendSeconds(), 0.1);
      assertEquals(300.0, r.qps(), 30, "answers per second of sending");
      assertTrue(r.latency().p50() < TIMEOUT.toMillis(), "answered latencies are below the timeout");
    }
  }

  @Test
  void maxQueriesEndsTheStepBeforeItsDurationAcrossThreads() throws Exception {
    try (LoadEngine e = engine(2)) {
      long t0 = System.nanoTime();
      StepResult r = e.run(StepPlan.openLoop(1000, Duration.ofSeconds(30), 8, TIMEOUT));
      assertEquals(8, r.sent());
      assertEquals(6, r.answered());
      assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "stopped long before 30 s");
    }
  }

  @Test
  void closedLoopSendsANewQueryForEveryAnswerUntilTheDuration() throws Exception {
    try (LoadEngine e = engine(1, List.of(new QuerySpec(Name.fromString("a.test."), Type.A)))) {
      long t0 = System.nanoTime();
      StepResult r = e.run(StepPlan.closedLoop(8, Duration.ofMillis(700), 0, TIMEOUT));
      assertTrue(r.answered() > 50, "refilled far beyond the window of 8 in 0.7 s: " + r.answered());
      assertEquals(r.sent(), r.answered());
      assertEquals(0.7, r.sendSeconds(), 0.3);
      assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
    }
  }

  @Test
  void closedLoopCountsEveryQueryAsAnsweredOrTimedOut() throws Exception {
    try (LoadEngine e = engine(1)) {
      StepResult r = e.run(StepPlan.closedLoop(8, Duration.ofMillis(700), 0, TIMEOUT));
      assertEquals(r.sent(), r.answered() + r.timeouts());
      assertTrue(r.timeouts() >= 8, "unanswered drop.test. queries hold the window until they time out: " + r.timeouts());
      assertEquals(0, r.unmatched());
    }
  }

  @Test
  void consecutiveStepsContinueThroughTheFile() throws Exception {
    try (LoadEngine e = engine(1)) {
      StepResult first = e.run(StepPlan.openLoop(1000, Duration.ofSeconds(5), 3, TIMEOUT));
      StepResult second = e.run(StepPlan.openLoop(1000, Duration.ofSeconds(5), 1, TIMEOUT));
      assertEquals(3, first.answered(), "a, nx, b");
      assertEquals(1, second.timeouts(), "the second step starts at drop.test., line 4");
    }
  }
}
