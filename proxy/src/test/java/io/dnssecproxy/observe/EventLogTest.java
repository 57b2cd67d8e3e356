package io.dnssecproxy.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.testing.MutableClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventLogTest {

  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
  private static final Duration INTERVAL = Duration.ofSeconds(10);

  private final MutableClock clock = new MutableClock(T0);
  private final List<String> lines = new ArrayList<>();
  private final EventLog log = new EventLog(lines::add, clock, INTERVAL);

  private static ValidationEvent event(String name, String... reasons) {
    return new ValidationEvent(T0, "10.1.2.3", name, "A", "bogus", 7, List.of(reasons), "enforce", "shop", "blocked");
  }

  @Test
  void lineHasEveryFieldInAFixedOrder() {
    log.record(event("www.example.", "www.example. A", "RRSIG expired"));
    assertEquals(List.of("{\"time\":\"2026-06-01T12:00:00Z\",\"event\":\"validation\",\"client\":\"10.1.2.3\","
        + "\"name\":\"www.example.\",\"type\":\"A\",\"verdict\":\"bogus\",\"ede\":7,"
        + "\"reason\":[\"www.example. A\",\"RRSIG expired\"],\"mode\":\"enforce\",\"namespace\":\"shop\",\"action\":\"blocked\"}"),
        lines);
  }

  @Test
  void lineIsValidJsonThatReadsBackToTheEvent() {
    log.record(event("www.example.", "www.example. A", "RRSIG expired"));
    JsonObject o = new JsonObject(lines.get(0));
    assertEquals(Set.of("time", "event", "client", "name", "type", "verdict", "ede", "reason", "mode", "namespace", "action"),
        o.fieldNames());
    assertEquals("2026-06-01T12:00:00Z", o.getString("time"));
    assertEquals("validation", o.getString("event"));
    assertEquals(7, o.getInteger("ede"));
    assertEquals(new JsonArray().add("www.example. A").add("RRSIG expired"), o.getJsonArray("reason"));
  }

  @Test
  void quotesBackslashesNewlinesAndControlCharactersAreEscaped() {
    String nasty = "say \"hi\"\\ then\nnew line\r\ttab \u0001 end";
    log.record(event("we\"ird.\nexample.", nasty));
    String line = lines.get(0);
    assertFalse(line.contains("\n") || line.contains("\r"), line);
    JsonObject o = new JsonObject(line);
    assertEquals("we\"ird.\nexample.", o.getString("name"));
    assertEquals(nasty, o.getJsonArray("reason").getString(0));
  }

  @Test
  void missingClientAndNamespaceAreJsonNull() {
    log.record(new ValidationEvent(T0, null, "a.example.", "AAAA", "bogus", -1, List.of(), "permissive", null, "passed"));
    JsonObject o = new JsonObject(lines.get(0));
    assertTrue(o.containsKey("client"));
    assertNull(o.getValue("client"));
    assertNull(o.getValue("namespace"));
    assertEquals(new JsonArray(), o.getJsonArray("reason"));
  }

  @Test
  void repeatsOfTheSameNameAndReasonAreSuppressedWithinTheInterval() {
    for (int i = 0; i < 5; i++) {
      log.record(event("www.example.", "RRSIG expired"));
      clock.advance(Duration.ofSeconds(1));
    }
    assertEquals(1, lines.size());
    assertFalse(new JsonObject(lines.get(0)).containsKey("suppressed"));
    assertEquals(4, log.suppressedTotal());
  }

  @Test
  void nextLineAfterTheIntervalReportsHowManyWereSuppressed() {
    log.record(event("www.example.", "RRSIG expired"));
    log.record(event("www.example.", "RRSIG expired"));
    log.record(event("www.example.", "RRSIG expired"));
    clock.advance(INTERVAL);
    log.record(event("www.example.", "RRSIG expired"));
    assertEquals(2, lines.size());
    assertEquals(2, new JsonObject(lines.get(1)).getInteger("suppressed"));
  }

  @Test
  void suppressedCountStartsAgainAfterItIsReported() {
    log.record(event("www.example.", "RRSIG expired"));
    log.record(event("www.example.", "RRSIG expired"));
    clock.advance(INTERVAL);
    log.record(event("www.example.", "RRSIG expired"));
    clock.advance(INTERVAL);
    log.record(event("www.example.", "RRSIG expired"));
    assertEquals(3, lines.size());
    assertFalse(new JsonObject(lines.get(2)).containsKey("suppressed"));
  }

  @Test
  void differentNamesAndDifferentReasonsAreLimitedSeparately() {
    log.record(event("www.example.", "RRSIG expired"));
    log.record(event("mail.example.", "RRSIG expired"));
    log.record(event("www.example.", "no DNSKEY matches"));
    assertEquals(3, lines.size());
    assertEquals(0, log.suppressedTotal());
  }

  @Test
  void theLastReasonIsTheOneThatCounts() {
    log.record(event("www.example.", "www.example. A", "RRSIG expired"));
    log.record(event("www.example.", "www.example. CNAME", "RRSIG expired"));
    assertEquals(1, lines.size());
  }

  private List<JsonObject> summaries() {
    return lines.stream().map(JsonObject::new).filter(o -> o.getString("event").equals("validation-suppressed")).toList();
  }

  @Test
  void aPeriodicReportAfterTheIntervalWritesTheSuppressedCountInASummaryLine() {
    log.record(event("www.example.", "www.example. A", "RRSIG expired"));
    log.record(event("www.example.", "www.example. A", "RRSIG expired"));
    log.record(event("www.example.", "www.example. A", "RRSIG expired"));
    clock.advance(INTERVAL);
    log.reportSuppressed();
    assertEquals(1, summaries().size());
    JsonObject summary = summaries().get(0);
    assertEquals(2, summary.getInteger("suppressed"));
    assertEquals("www.example.", summary.getString("name"));
    assertEquals("RRSIG expired", summary.getString("reason"));
    assertEquals(T0.toString(), summary.getString("since"));
    assertEquals(T0.plus(INTERVAL).toString(), summary.getString("time"));
  }

  @Test
  void aReportBeforeTheIntervalEndsWritesNothingAndTheCountStaysPending() {
    log.record(event("www.example.", "RRSIG expired"));
    log.record(event("www.example.", "RRSIG expired"));
    clock.advance(INTERVAL.minusSeconds(1));
    log.reportSuppressed();
    assertEquals(1, lines.size());
    clock.advance(Duration.ofSeconds(1));
    log.reportSuppressed();
    assertEquals(1, summaries().get(0).getInteger("suppressed"));
  }

  @Test
  void aCountReportedInASummaryIsNotReportedAgainByTheNextLine() {
    log.record(event("www.example.", "RRSIG expired"));
    log.record(event("www.example.", "RRSIG expired"));
    clock.advance(INTERVAL);
    log.reportSuppressed();
    log.record(event("www.example.", "RRSIG expired"));
    assertEquals(3, lines.size());
    assertFalse(new JsonObject(lines.get(2)).containsKey("suppressed"), lines.get(2));
  }

  @Test
  void windowsWithNothingSuppressedCloseSilentlyOnTheInjectedClock() {
    log.record(event("www.example.", "RRSIG expired"));
    log.reportSuppressed();
    assertEquals(1, log.openWindows(), "still inside the interval by the injected clock");
    clock.advance(INTERVAL);
    log.reportSuppressed();
    assertEquals(0, log.openWindows());
    assertEquals(1, lines.size());
  }

  @Test
  void aFullWindowTableShedsTheLeastRecentlyUsedPairAndWritesItsCount() {
    EventLog small = new EventLog(lines::add, clock, INTERVAL, 2, Integer.MAX_VALUE);
    small.record(event("a.example.", "r"));
    small.record(event("a.example.", "r"));
    small.record(event("b.example.", "r"));
    small.record(event("b.example.", "r"));
    small.record(event("b.example.", "r"));
    small.record(event("c.example.", "r"));
    assertEquals(2, small.openWindows());
    assertEquals(1, summaries().size());
    assertEquals("a.example.", summaries().get(0).getString("name"));
    assertEquals(1, summaries().get(0).getInteger("suppressed"));
  }

  @Test
  void theShutdownReportWritesEveryPendingCountEvenInsideTheInterval() {
    log.record(event("a.example.", "r"));
    log.record(event("a.example.", "r"));
    log.record(event("b.example.", "r"));
    log.record(event("b.example.", "r"));
    log.record(event("c.example.", "r"));
    log.reportAllSuppressed();
    assertEquals(2, summaries().size());
    assertEquals(0, log.openWindows());
  }

  @Test
  void aFloodOfFreshNamesWritesAtMostTheLineBudgetPerIntervalAndCountsTheRest() {
    EventLog budgeted = new EventLog(lines::add, clock, INTERVAL, 10_000, 10);
    for (int i = 0; i < 1_000; i++) {
      budgeted.record(event("x" + i + ".wild.keytrap.example.", "KeyTrap-shaped"));
    }
    assertEquals(10, lines.size(), "one line per fresh name until the budget is spent");

    clock.advance(INTERVAL);
    budgeted.reportSuppressed();

    List<JsonObject> summaries = summaries();
    assertEquals(1, summaries.size());
    assertEquals("*", summaries.get(0).getString("name"));
    assertEquals(990, summaries.get(0).getInteger("suppressed"));
    budgeted.record(event("y.wild.keytrap.example.", "KeyTrap-shaped"));
    assertEquals("y.wild.keytrap.example.", new JsonObject(lines.get(lines.size() - 1)).getString("name"),
        "a new interval has a new budget");
  }

  @Test
  void withATightLineBudgetEveryEventIsStillWrittenOrCountedExactlyOnce() {
    EventLog small = new EventLog(lines::add, clock, INTERVAL, 5, 3);
    long counted = recordRandomMixAndCheckAccounting(small, 20, new java.util.Random(11));
    assertTrue(counted > 0 && summaries().stream().anyMatch(o -> o.getString("name").equals("*")), "the budget was hit");
  }

  @Test
  void everyRecordedEventIsEitherWrittenOrCountedExactlyOnce() {
    EventLog small = new EventLog(lines::add, clock, INTERVAL, 5, Integer.MAX_VALUE);
    long counted = recordRandomMixAndCheckAccounting(small, 8, new java.util.Random(7));
    assertTrue(counted > 0 && summaries().size() > 0, "the mix exercises both reporting paths");
  }

  /**
   * Records 5,000 events over {@code names} names and two reasons at random times, with periodic
   * reports, then checks that each was written or counted exactly once; returns the count.
   */
  private long recordRandomMixAndCheckAccounting(EventLog log, int names, java.util.Random random) {
    int recorded = 0;
    for (int i = 0; i < 5_000; i++) {
      log.record(event("n" + random.nextInt(names) + ".example.", "reason " + random.nextInt(2)));
      recorded++;
      clock.advance(Duration.ofMillis(random.nextInt(400)));
      if (random.nextInt(50) == 0) {
        log.reportSuppressed();
      }
    }
    log.reportAllSuppressed();
    long written = 0;
    long counted = 0;
    for (String line : lines) {
      JsonObject o = new JsonObject(line);
      if (o.getString("event").equals("validation")) {
        written++;
      }
      counted += o.getLong("suppressed", 0L);
    }
    assertEquals(recorded, written + counted);
    assertEquals(counted, log.suppressedTotal());
    return counted;
  }
}
