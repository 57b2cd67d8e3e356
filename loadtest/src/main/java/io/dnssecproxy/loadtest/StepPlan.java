package io.dnssecproxy.loadtest;

import java.time.Duration;

/**
 * What one step does. Exactly one of {@code rate} (open loop: queries per second, whatever the
 * answers do) and {@code outstanding} (closed loop: keep this many queries in flight, as fast as
 * the server answers) is positive. A step ends by itself at whichever bound comes first:
 * {@code duration} of sending or {@code maxQueries} sent; it then waits at most {@code timeout}
 * for the last answers.
 */
public record StepPlan(double rate, int outstanding, Duration duration, long maxQueries, Duration timeout) {

  public StepPlan {
    if ((rate > 0) == (outstanding > 0)) {
      throw new IllegalArgumentException("a step is either open-loop (rate) or closed-loop (outstanding)");
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive");
    }
    if (maxQueries < 0) {
      throw new IllegalArgumentException("maxQueries must be 0 (no limit) or positive");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
  }

  public static StepPlan openLoop(double rate, Duration duration, long maxQueries, Duration timeout) {
    return new StepPlan(rate, 0, duration, maxQueries, timeout);
  }

  public static StepPlan closedLoop(int outstanding, Duration duration, long maxQueries, Duration timeout) {
    return new StepPlan(0, outstanding, duration, maxQueries, timeout);
  }

  public boolean openLoop() {
    return rate > 0;
  }

  /** How many of the step's queries worker {@code k} of {@code workers} sends (0 = no limit). */
  long shareOfMaxQueries(int k, int workers) {
    if (maxQueries == 0) {
      return Long.MAX_VALUE;
    }
    return (maxQueries - k + workers - 1) / workers;
  }
}
