package io.dnssecproxy.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictTest {

  @Test
  void worseStatusWinsWhicheverSideItIsOn() {
    Verdict secure = Verdict.secure();
    Verdict bogus = Verdict.bogus(Ede.SIGNATURE_EXPIRED, "RRSIG expired");
    assertSame(bogus, secure.and(bogus));
    assertSame(bogus, bogus.and(secure));
  }

  @Test
  void statusesRankSecureInsecureIndeterminateBogus() {
    Verdict insecure = Verdict.insecure("unsigned delegation");
    Verdict indeterminate = Verdict.indeterminate("no anchor");
    assertSame(insecure, Verdict.secure().and(insecure));
    assertSame(indeterminate, insecure.and(indeterminate));
    assertSame(indeterminate, indeterminate.and(insecure));
  }

  @Test
  void equalStatusesJoinReasonsAndKeepTheFirstCode() {
    Verdict a = Verdict.bogus(Ede.SIGNATURE_EXPIRED, "answer RRSIG expired");
    Verdict b = Verdict.bogus(Ede.NSEC_MISSING, "no NSEC");
    Verdict both = a.and(b);
    assertEquals(SecurityStatus.BOGUS, both.status());
    assertEquals(Ede.SIGNATURE_EXPIRED, both.ede());
    assertEquals(List.of("answer RRSIG expired", "no NSEC"), both.reasons());
  }

  @Test
  void equalStatusesTakeTheSecondCodeWhenTheFirstHasNone() {
    Verdict a = Verdict.insecure("unsigned");
    Verdict b = Verdict.insecure(Ede.UNSUPPORTED_NSEC3_ITERATIONS, "too many iterations");
    assertEquals(Ede.UNSUPPORTED_NSEC3_ITERATIONS, a.and(b).ede());
  }

  @Test
  void secureAndSecureStaysSecureWithoutReasons() {
    Verdict v = Verdict.secure().and(Verdict.secure());
    assertEquals(SecurityStatus.SECURE, v.status());
    assertEquals(List.of(), v.reasons());
    assertEquals(Ede.NONE, v.ede());
  }

  @Test
  void withinPutsTheContextFirstAndKeepsStatusAndCode() {
    Verdict v = Verdict.bogus(Ede.DNSKEY_MISSING, "no key with tag 12345").within("www.example. A");
    assertEquals(SecurityStatus.BOGUS, v.status());
    assertEquals(Ede.DNSKEY_MISSING, v.ede());
    assertEquals(List.of("www.example. A", "no key with tag 12345"), v.reasons());
    assertEquals("www.example. A: no key with tag 12345", v.reasonText());
  }

  @Test
  void aVerdictWithoutReasonsTakesNoContextAndBuildsNone() {
    Verdict secure = Verdict.secure();
    assertSame(secure, secure.within("www.example. A"));
    assertSame(secure, secure.within(() -> {
      throw new AssertionError("context built for a verdict with nothing to explain");
    }));
    Verdict insecure = Verdict.insecure("no DS for example.").within(() -> "www.example. A");
    assertEquals(List.of("www.example. A", "no DS for example."), insecure.reasons());
  }

  @Test
  void reasonsAreAnImmutableCopy() {
    List<String> reasons = new ArrayList<>(List.of("one"));
    Verdict v = new Verdict(SecurityStatus.BOGUS, Ede.DNSSEC_BOGUS, reasons);
    reasons.add("two");
    assertEquals(List.of("one"), v.reasons());
    assertThrows(UnsupportedOperationException.class, () -> v.reasons().add("three"));
  }

  @Test
  void predicatesFollowTheStatus() {
    assertEquals(true, Verdict.secure().isSecure());
    assertEquals(false, Verdict.secure().isBogus());
    assertEquals(true, Verdict.bogus(Ede.DNSSEC_BOGUS, "x").isBogus());
    assertEquals(false, Verdict.insecure("x").isSecure());
  }
}
