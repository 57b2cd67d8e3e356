package io.dnssecproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeParserTest {

  private static final Instant JUNE_FIRST = Instant.parse("2026-06-01T12:30:45Z");

  @Test
  void unixSeconds() {
    assertEquals(JUNE_FIRST, TimeParser.parse(Long.toString(JUNE_FIRST.getEpochSecond())));
  }

  @Test
  void unixSecondsZeroIsTheEpoch() {
    assertEquals(Instant.EPOCH, TimeParser.parse("0"));
  }

  @Test
  void isoInstant() {
    assertEquals(JUNE_FIRST, TimeParser.parse("2026-06-01T12:30:45Z"));
  }

  @Test
  void offsetDateTimeIsConvertedToUtc() {
    assertEquals(JUNE_FIRST, TimeParser.parse("2026-06-01T14:30:45+02:00"));
  }

  @Test
  void localDateTimeIsTakenAsUtc() {
    assertEquals(JUNE_FIRST, TimeParser.parse("2026-06-01T12:30:45"));
  }

  @Test
  void plainDateIsMidnightUtc() {
    assertEquals(Instant.parse("2026-06-01T00:00:00Z"), TimeParser.parse("2026-06-01"));
  }

  @Test
  void dnssecSignatureTimeFormat() {
    assertEquals(JUNE_FIRST, TimeParser.parse("20260601123045"));
  }

  @Test
  void whitespaceIsTrimmed() {
    assertEquals(JUNE_FIRST, TimeParser.parse(" 20260601123045\n"));
  }

  @Test
  void garbageGivesAMessageNamingTheAcceptedForms() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeParser.parse("next tuesday"));
    assertTrue(e.getMessage().contains("'next tuesday' is not a time"), e.getMessage());
    assertTrue(e.getMessage().contains("YYYYMMDDHHmmSS"), e.getMessage());
  }

  @Test
  void impossibleDateInIsoFormIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> TimeParser.parse("2026-13-01"));
  }

  @Test
  void impossibleDateInDnssecFormIsAnIllegalArgumentNotAParseCrash() {
    // Fourteen digits take the YYYYMMDDHHmmSS path; month 13 must still come back as the
    // operator-facing IllegalArgumentException that ConfigLoader turns into a ConfigException.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeParser.parse("20261301000000"));
    assertTrue(e.getMessage().contains("20261301000000"), e.getMessage());
  }

  @Test
  void dayThatMonthDoesNotHaveIsRejectedNotClampedInDnssecForm() {
    // The ISO forms reject 2026-02-31; the DNSSEC form must not quietly read it as 2026-02-28.
    assertThrows(IllegalArgumentException.class, () -> TimeParser.parse("20260231000000"));
    assertThrows(IllegalArgumentException.class, () -> TimeParser.parse("2026-02-31"));
  }

  @Test
  void millisecondTimestampsAreRejectedNotReadAsSeconds() {
    // 13 digits would be year ~58000 as seconds; refusing is safer than validating at that time.
    assertThrows(IllegalArgumentException.class, () -> TimeParser.parse("1780316445000"));
  }
}
