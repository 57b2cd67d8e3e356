package io.dnssecproxy.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs on the test thread alone, which stands in for the single event loop. */
class InFlightCoalescerTest {

  private final InFlightCoalescer<String, String> coalescer = new InFlightCoalescer<>();
  private final List<Promise<String>> underlying = new ArrayList<>();

  private Future<String> call(String key) {
    return coalescer.run(key, () -> {
      Promise<String> promise = Promise.promise();
      underlying.add(promise);
      return promise.future();
    });
  }

  @Test
  void tenConcurrentIdenticalCallsMakeOneUnderlyingCallAndAllGetItsResult() {
    List<Future<String>> futures = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      futures.add(call("example.com/A"));
    }

    assertEquals(1, underlying.size());
    underlying.get(0).complete("answer");
    for (Future<String> f : futures) {
      assertTrue(f.succeeded());
      assertEquals("answer", f.result());
    }
  }

  @Test
  void aFailureReachesEveryWaitingCaller() {
    List<Future<String>> futures = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      futures.add(call("example.com/A"));
    }
    RuntimeException failure = new RuntimeException("timeout");

    underlying.get(0).fail(failure);

    assertEquals(1, underlying.size());
    for (Future<String> f : futures) {
      assertTrue(f.failed());
      assertSame(failure, f.cause());
    }
  }

  @Test
  void afterCompletionANewCallStartsANewUnderlyingCall() {
    call("k");
    underlying.get(0).complete("first");
    assertEquals(0, coalescer.size());

    Future<String> second = call("k");
    underlying.get(1).complete("second");

    assertEquals(2, underlying.size());
    assertEquals("second", second.result());
  }

  @Test
  void afterAFailureANewCallStartsANewUnderlyingCall() {
    call("k");
    underlying.get(0).fail("boom");

    call("k");

    assertEquals(2, underlying.size());
  }

  @Test
  void differentKeysDoNotShare() {
    call("a");
    call("b");

    assertEquals(2, underlying.size());
    assertEquals(2, coalescer.size());
  }

  @Test
  void aCallerReactingToCompletionStartsAFreshCall() {
    List<Future<String>> again = new ArrayList<>();
    call("k").onComplete(ar -> again.add(call("k")));

    underlying.get(0).complete("first");

    assertEquals(2, underlying.size(), "the completed call must not be shared with a caller reacting to it");
    assertTrue(!again.get(0).isComplete());
  }

  @Test
  void aCallThatThrowsFailsOnlyThatCallerAndIsNotShared() {
    Future<String> thrown = coalescer.run("k", () -> {
      throw new IllegalStateException("bad");
    });

    assertTrue(thrown.failed());
    assertEquals(0, coalescer.size());
    call("k");
    assertEquals(1, underlying.size());
  }
}
