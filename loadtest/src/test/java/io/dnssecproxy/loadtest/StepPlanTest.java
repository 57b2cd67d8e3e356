package io.dnssecproxy.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StepPlanTest {

  private static final Duration S = Duration.ofSeconds(1);

  @Test
  void workersSharesOfMaxQueriesAddUpExactly() {
    for (long max : new long[] {1, 7, 1000, 10_001}) {
      for (int workers = 1; workers <= 5; workers++) {
        StepPlan p = StepPlan.openLoop(100, S, max, S);
        long sum = 0;
        for (int k = 0; k < workers; k++) {
          sum += p.shareOfMaxQueries(k, workers);
        }
        assertEquals(max, sum, "max " + max + " over " + workers + " workers");
      }
    }
  }

  @Test
  void noLimitIsUnlimitedForEveryWorker() {
    assertEquals(Long.MAX_VALUE, StepPlan.closedLoop(10, S, 0, S).shareOfMaxQueries(1, 2));
  }

  @Test
  void aStepIsEitherOpenOrClosedLoop() {
    assertThrows(IllegalArgumentException.class, () -> new StepPlan(100, 10, S, 0, S));
    assertThrows(IllegalArgumentException.class, () -> new StepPlan(0, 0, S, 0, S));
  }
}
