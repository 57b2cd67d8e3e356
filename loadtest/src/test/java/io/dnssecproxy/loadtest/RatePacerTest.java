package io.dnssecproxy.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RatePacerTest {

  private static final long START = 5_000_000_000L;

  @Test
  void queriesAreSpacedByOneOverTheRate() {
    RatePacer p = new RatePacer(START, 1000);
    assertEquals(START, p.intendedNanos(0));
    assertEquals(START + 1_000_000, p.intendedNanos(1));
    assertEquals(START + 2_500_000_000L, p.intendedNanos(2500));
  }

  @Test
  void nothingIsDueBeforeTheStart() {
    assertEquals(0, new RatePacer(START, 1000).dueBy(START - 1));
  }

  @Test
  void firstQueryIsDueAtTheStartAndTheNextOneIntervalLater() {
    RatePacer p = new RatePacer(START, 1000);
    assertEquals(1, p.dueBy(START));
    assertEquals(1, p.dueBy(START + 999_999));
    assertEquals(2, p.dueBy(START + 1_000_000));
  }

  @Test
  void oneSecondAtARateHoldsRatePlusOneDueQueries() {
    assertEquals(1001, new RatePacer(START, 1000).dueBy(START + 1_000_000_000L));
    assertEquals(50_001, new RatePacer(START, 50_000).dueBy(START + 1_000_000_000L));
  }

  @Test
  void dueCountAgreesWithIntendedTimesForAwkwardRates() {
    Random random = new Random(42);
    for (double rate : new double[] {3, 7.5, 333.3, 12_345, 999_999}) {
      RatePacer p = new RatePacer(START, rate);
      for (int i = 0; i < 2000; i++) {
        long now = START + (long) (random.nextDouble() * 3e9);
        long due = p.dueBy(now);
        assertEquals(true, p.intendedNanos(due - 1) <= now, "last due query is due at rate " + rate);
        assertEquals(true, p.intendedNanos(due) > now, "next query is not yet due at rate " + rate);
      }
    }
  }

  @Test
  void zeroOrNegativeRateIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RatePacer(START, 0));
    assertThrows(IllegalArgumentException.class, () -> new RatePacer(START, -5));
    assertThrows(IllegalArgumentException.class, () -> new RatePacer(START, Double.NaN));
  }
}
