package io.dnssecproxy.validation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WorkBudgetTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));

  private WorkBudget budget(int n) {
    return new WorkBudget(new WorkBudget.Limits(n, n, n, n, Duration.ofSeconds(4)), clock);
  }

  private static void exhausts(Runnable charge, int allowed, String what) {
    for (int i = 0; i < allowed; i++) {
      charge.run();
    }
    WorkBudget.ExhaustedException e = assertThrows(WorkBudget.ExhaustedException.class, charge::run);
    assertTrue(e.getMessage().contains(what), e.getMessage());
  }

  @Test
  void signatureVerificationsAreCapped() {
    WorkBudget b = budget(3);
    exhausts(b::chargeSignature, 3, "3 signature verifications");
    assertEquals(4, b.signaturesUsed());
  }

  @Test
  void dsDigestsAreCapped() {
    WorkBudget b = budget(2);
    exhausts(b::chargeDigest, 2, "2 DS digest computations");
  }

  @Test
  void subQueriesAreCapped() {
    WorkBudget b = budget(5);
    exhausts(b::chargeSubQuery, 5, "5 DNSKEY/DS sub-queries");
    assertEquals(6, b.subQueriesUsed());
  }

  @Test
  void nsec3HashesAreCapped() {
    WorkBudget b = budget(4);
    exhausts(b::chargeNsec3Hash, 4, "4 NSEC3 hashes");
  }

  @Test
  void limitsAreIndependent() {
    WorkBudget b = budget(1);
    b.chargeSignature();
    assertDoesNotThrow(b::chargeDigest);
    assertDoesNotThrow(b::chargeSubQuery);
    assertDoesNotThrow(b::chargeNsec3Hash);
  }

  @Test
  void wallTimeIsCheckedOnSignaturesAndSubQueries() {
    WorkBudget b = budget(100);
    clock.advance(Duration.ofSeconds(4));
    assertDoesNotThrow(b::chargeSignature); // exactly at the deadline is still inside
    clock.advance(Duration.ofMillis(1));
    WorkBudget.ExhaustedException e = assertThrows(WorkBudget.ExhaustedException.class, b::chargeSignature);
    assertTrue(e.getMessage().contains("longer than 4000 ms"), e.getMessage());
    assertThrows(WorkBudget.ExhaustedException.class, b::chargeSubQuery);
  }

  @Test
  void defaultsAllowARealisticChain() {
    WorkBudget b = new WorkBudget(WorkBudget.Limits.defaults(), clock);
    for (int i = 0; i < 10; i++) { // ten zones deep: DNSKEY+DS and ~3 verifications each
      b.chargeSubQuery();
      b.chargeSubQuery();
      b.chargeSignature();
      b.chargeSignature();
      b.chargeSignature();
      b.chargeDigest();
    }
    assertEquals(30, b.signaturesUsed());
  }
}
