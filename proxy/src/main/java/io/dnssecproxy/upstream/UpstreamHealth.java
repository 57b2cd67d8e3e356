package io.dnssecproxy.upstream;

import java.time.Duration;
import java.time.Instant;

/**
 * Up/down state of one upstream. After {@code failuresBeforeDown} failed tries in a row it is
 * down until a backoff passes; once that passes it is tried again, and each further failure
 * puts it down again for twice as long (capped). One success clears everything.
 */
final class UpstreamHealth {

  private final int failuresBeforeDown;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private int consecutiveFailures;
  private Duration nextBackoff;
  private Instant downUntil;
  private Instant lastFailure;

  UpstreamHealth(int failuresBeforeDown, Duration initialBackoff, Duration maxBackoff) {
    this.failuresBeforeDown = failuresBeforeDown;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.nextBackoff = initialBackoff;
  }

  boolean isDown(Instant now) {
    return downUntil != null && now.isBefore(downUntil);
  }

  /** When it last failed; {@link Instant#MIN} if never. */
  Instant lastFailure() {
    return lastFailure == null ? Instant.MIN : lastFailure;
  }

  /** Records a failed try. Returns the backoff if this failure marks it down, else null. */
  Duration recordFailure(Instant now) {
    consecutiveFailures++;
    lastFailure = now;
    if (consecutiveFailures < failuresBeforeDown) {
      return null;
    }
    Duration backoff = nextBackoff;
    downUntil = now.plus(backoff);
    Duration doubled = backoff.multipliedBy(2);
    nextBackoff = doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
    return backoff;
  }

  /** Records an answer. Returns true if the upstream had been marked down. */
  boolean recordSuccess() {
    boolean wasDown = downUntil != null;
    consecutiveFailures = 0;
    nextBackoff = initialBackoff;
    downUntil = null;
    return wasDown;
  }
}
