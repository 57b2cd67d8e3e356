package io.dnssecproxy.upstream;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing and health settings of an {@link UpstreamPool}.
 *
 * <p>Defaults: a try waits at most 1200 ms and a question at most 2000 ms in all, so after a
 * silent first upstream the second still gets 800 ms, and the client hears back (answer or
 * SERVFAIL) well before a glibc stub's 5 s timeout. At most 2 tries per question (the first
 * choice, then one failover). An upstream is marked down after 3 failures in a row, for 5 s,
 * doubling on each further failure up to 60 s.
 *
 * @param tryTimeout longest wait for one try (UDP plus any TCP retry)
 * @param questionBudget longest time one question may take across all tries
 * @param maxAttempts tries per question; upstreams are taken in turn, so with one upstream a
 *     second try goes to the same server
 * @param failuresBeforeDown consecutive failed tries that mark an upstream down
 * @param initialBackoff how long an upstream first stays down
 * @param maxBackoff cap on the doubling backoff
 */
public record UpstreamPoolOptions(
    Duration tryTimeout,
    Duration questionBudget,
    int maxAttempts,
    int failuresBeforeDown,
    Duration initialBackoff,
    Duration maxBackoff) {

  public static final Duration DEFAULT_TRY_TIMEOUT = Duration.ofMillis(1200);
  public static final Duration DEFAULT_QUESTION_BUDGET = Duration.ofMillis(1800); // all tries of one question: SERVFAIL + EDE 22 before 2 s
  public static final int DEFAULT_MAX_ATTEMPTS = 2;
  public static final int DEFAULT_FAILURES_BEFORE_DOWN = 3;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(5);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);

  public UpstreamPoolOptions {
    requirePositive(tryTimeout, "tryTimeout");
    requirePositive(questionBudget, "questionBudget");
    requirePositive(initialBackoff, "initialBackoff");
    requirePositive(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (failuresBeforeDown < 1) {
      throw new IllegalArgumentException("failuresBeforeDown must be at least 1");
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must not be below initialBackoff");
    }
  }

  public static UpstreamPoolOptions defaults() {
    return new UpstreamPoolOptions(
        DEFAULT_TRY_TIMEOUT,
        DEFAULT_QUESTION_BUDGET,
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_FAILURES_BEFORE_DOWN,
        DEFAULT_INITIAL_BACKOFF,
        DEFAULT_MAX_BACKOFF);
  }

  public UpstreamPoolOptions withTryTimeout(Duration value) {
    return new UpstreamPoolOptions(value, questionBudget, maxAttempts, failuresBeforeDown, initialBackoff, maxBackoff);
  }

  public UpstreamPoolOptions withQuestionBudget(Duration value) {
    return new UpstreamPoolOptions(tryTimeout, value, maxAttempts, failuresBeforeDown, initialBackoff, maxBackoff);
  }

  public UpstreamPoolOptions withMaxAttempts(int value) {
    return new UpstreamPoolOptions(tryTimeout, questionBudget, value, failuresBeforeDown, initialBackoff, maxBackoff);
  }

  public UpstreamPoolOptions withFailuresBeforeDown(int value) {
    return new UpstreamPoolOptions(tryTimeout, questionBudget, maxAttempts, value, initialBackoff, maxBackoff);
  }

  public UpstreamPoolOptions withBackoff(Duration initial, Duration max) {
    return new UpstreamPoolOptions(tryTimeout, questionBudget, maxAttempts, failuresBeforeDown, initial, max);
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
