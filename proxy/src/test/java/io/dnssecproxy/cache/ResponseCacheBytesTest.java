package io.dnssecproxy.cache;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.testing.MutableClock;
import io.dnssecproxy.validation.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** A flood of unique names cannot make the answer cache outgrow its byte budget or its entry cap. */
class ResponseCacheBytesTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));

  private static CachedAnswer answer(Name name, Instant now) {
    Message m = new Message();
    m.addRecord(Record.newRecord(name, Type.TXT, DClass.IN), Section.QUESTION);
    m.addRecord(new TXTRecord(name, DClass.IN, 300, "x".repeat(200)), Section.ANSWER);
    return new CachedAnswer(m, Verdict.secure(), now, 300);
  }

  @Test
  void uniqueNamesBeyondTheByteBudgetAreEvicted() throws Exception {
    long budget = 256 * 1024;
    ResponseCache cache = new ResponseCache(1_000_000, budget, true, Duration.ofHours(1), clock);
    long perEntry = answer(Name.fromString("n0.example."), clock.instant()).estimatedBytes();
    for (int i = 0; i < 20_000; i++) {
      Name n = Name.fromString("n" + i + ".example.");
      cache.put(new CacheKey(n, Type.TXT, DClass.IN), answer(n, clock.instant()));
    }
    assertTrue(cache.size() * perEntry <= budget * 1.1, "size " + cache.size() + " x " + perEntry + " bytes over " + budget);
    assertTrue(cache.size() > 100, "the budget is used, not wasted: " + cache.size());
  }

  @Test
  void theEntryCapStillHoldsWithinALargeByteBudget() throws Exception {
    ResponseCache cache = new ResponseCache(500, 1L << 30, true, Duration.ofHours(1), clock);
    for (int i = 0; i < 5_000; i++) {
      Name n = Name.fromString("a" + i + ".example.");
      cache.put(new CacheKey(n, Type.A, DClass.IN), new CachedAnswer(new Message(), Verdict.secure(), clock.instant(), 300));
    }
    assertTrue(cache.size() <= 550, "size " + cache.size());
  }

}
