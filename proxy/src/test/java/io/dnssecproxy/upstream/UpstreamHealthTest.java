package io.dnssecproxy.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UpstreamHealthTest {

  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
  private final UpstreamHealth health = new UpstreamHealth(3, Duration.ofSeconds(5), Duration.ofSeconds(20));

  @Test
  void staysUpUntilTheThirdFailureInARow() {
    assertNull(health.recordFailure(t0));
    assertNull(health.recordFailure(t0));
    assertFalse(health.isDown(t0));

    assertEquals(Duration.ofSeconds(5), health.recordFailure(t0));
    assertTrue(health.isDown(t0.plusSeconds(4)));
    assertFalse(health.isDown(t0.plusSeconds(5)));
  }

  @Test
  void aSuccessInBetweenResetsTheCount() {
    health.recordFailure(t0);
    health.recordFailure(t0);
    assertFalse(health.recordSuccess(), "was not down");

    assertNull(health.recordFailure(t0));
    assertFalse(health.isDown(t0));
  }

  @Test
  void eachFailureAfterTheBackoffDoublesItUpToTheCap() {
    Instant now = t0;
    health.recordFailure(now);
    health.recordFailure(now);
    assertEquals(Duration.ofSeconds(5), health.recordFailure(now));
    now = now.plusSeconds(5);
    assertEquals(Duration.ofSeconds(10), health.recordFailure(now));
    now = now.plusSeconds(10);
    assertEquals(Duration.ofSeconds(20), health.recordFailure(now));
    now = now.plusSeconds(20);
    assertEquals(Duration.ofSeconds(20), health.recordFailure(now), "capped");
    assertTrue(health.isDown(now.plusSeconds(19)));
  }

  @Test
  void aSuccessMarksItUpAndResetsTheBackoff() {
    for (int i = 0; i < 4; i++) {
      health.recordFailure(t0);
    }
    assertTrue(health.recordSuccess(), "was down");
    assertFalse(health.isDown(t0));

    health.recordFailure(t0);
    health.recordFailure(t0);
    assertEquals(Duration.ofSeconds(5), health.recordFailure(t0));
  }
}
