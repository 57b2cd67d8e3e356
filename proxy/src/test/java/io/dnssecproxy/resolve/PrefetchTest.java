package io.dnssecproxy.resolve;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrefetchTest {

  @Test
  void dueInTheLastTenthOfTheTtl() {
    assertFalse(Prefetch.due(3600, 3239));
    assertTrue(Prefetch.due(3600, 3240));
    assertTrue(Prefetch.due(3600, 3599));
    assertFalse(Prefetch.due(3600, 3600), "expired: not a hit any more");
  }

  @Test
  void shortTtlsAreDueInTheirLastSecondOnly() {
    assertFalse(Prefetch.due(5, 3));
    assertTrue(Prefetch.due(5, 4));
    assertFalse(Prefetch.due(30, 26));
    assertTrue(Prefetch.due(30, 27));
  }

  @Test
  void neverInTheSecondTheAnswerWasStored() {
    assertFalse(Prefetch.due(1, 0), "a one-second TTL would otherwise be refreshed on every hit");
    assertFalse(Prefetch.due(2, 0));
    assertTrue(Prefetch.due(2, 1));
    assertFalse(Prefetch.due(0, 0));
  }
}
