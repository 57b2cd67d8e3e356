package io.dnssecproxy.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.dnssecproxy.testing.MutableClock;
import io.dnssecproxy.validation.Ede;
import io.dnssecproxy.validation.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ResponseCacheTest {

  private static final Duration STALE_MAX_AGE = Duration.ofSeconds(3600);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
  private final ResponseCache cache = new ResponseCache(1000, true, STALE_MAX_AGE, clock);

  private static CacheKey key(String name, int type) {
    return new CacheKey(Name.fromConstantString(name), type, DClass.IN);
  }

  private static final CacheKey WWW = key("www.example.", Type.A);

  private CachedAnswer answer(Verdict v, long ttl) {
    Message m = Message.newQuery(Record.newRecord(WWW.name(), WWW.type(), WWW.dclass()));
    return new CachedAnswer(m, v, clock.instant(), ttl);
  }

  @Test
  void freshEntryIsReturned() {
    CachedAnswer a = answer(Verdict.secure(), 60);
    cache.put(WWW, a);
    clock.advance(Duration.ofSeconds(59));
    assertSame(a, cache.get(WWW));
    assertEquals(1, a.remaining(clock.instant()));
  }

  @Test
  void entryIsNotFreshOnceItsTtlHasPassed() {
    cache.put(WWW, answer(Verdict.secure(), 60));
    clock.advance(Duration.ofSeconds(60));
    assertNull(cache.get(WWW));
  }

  @Test
  void lookupIgnoresCaseOfTheName() {
    CachedAnswer a = answer(Verdict.secure(), 60);
    cache.put(key("WWW.Example.", Type.A), a);
    assertSame(a, cache.get(key("www.example.", Type.A)));
  }

  @Test
  void typesAreSeparateEntries() {
    cache.put(WWW, answer(Verdict.secure(), 60));
    assertNull(cache.get(key("www.example.", Type.AAAA)));
  }

  @Test
  void storingAnAnswerAgainDoesNotExtendHowLongItIsKept() {
    CachedAnswer a = answer(Verdict.secure(), 60);
    cache.put(WWW, a);
    clock.advance(Duration.ofSeconds(50));
    cache.put(WWW, a); // as when a cached answer is stored again with its templates

    clock.advance(Duration.ofSeconds(10).plus(STALE_MAX_AGE).minusSeconds(1));
    assertSame(a, cache.getStale(WWW), "still inside its own stale window");
    clock.advance(Duration.ofSeconds(1));
    assertNull(cache.getStale(WWW), "the window counts from the first storage, not the second");
  }

  @Test
  void expiredEntryIsServedStaleInsideTheWindow() {
    CachedAnswer a = answer(Verdict.secure(), 60);
    cache.put(WWW, a);
    clock.advance(Duration.ofSeconds(60).plus(STALE_MAX_AGE).minusSeconds(1));
    assertNull(cache.get(WWW));
    assertSame(a, cache.getStale(WWW));
  }

  @Test
  void insecureEntryIsServedStaleToo() {
    CachedAnswer a = answer(Verdict.insecure("unsigned"), 60);
    cache.put(WWW, a);
    clock.advance(Duration.ofSeconds(120));
    assertSame(a, cache.getStale(WWW));
  }

  @Test
  void expiredEntryIsGoneAfterTheStaleWindow() {
    cache.put(WWW, answer(Verdict.secure(), 60));
    clock.advance(Duration.ofSeconds(60).plus(STALE_MAX_AGE).plusSeconds(1));
    assertNull(cache.getStale(WWW));
    assertNull(cache.get(WWW));
  }

  @Test
  void nothingIsServedStaleWhenServeStaleIsOff() {
    ResponseCache noStale = new ResponseCache(1000, false, STALE_MAX_AGE, clock);
    noStale.put(WWW, answer(Verdict.secure(), 60));
    assertNotNull(noStale.get(WWW));
    clock.advance(Duration.ofSeconds(61));
    assertNull(noStale.getStale(WWW));
    assertNull(noStale.get(WWW));
  }

  @Test
  void bogusEntryIsFreshForItsTtlButNeverStale() {
    CachedAnswer bogus = answer(Verdict.bogus(Ede.SIGNATURE_EXPIRED, "expired"), 60);
    cache.put(WWW, bogus);
    assertSame(bogus, cache.get(WWW));
    assertNull(cache.getStale(WWW));
    clock.advance(Duration.ofSeconds(61));
    assertNull(cache.get(WWW));
    assertNull(cache.getStale(WWW));
  }

  @Test
  void zeroTtlAnswerIsNotStored() {
    cache.put(WWW, answer(Verdict.secure(), 0));
    assertNull(cache.get(WWW));
    assertNull(cache.getStale(WWW));
    assertEquals(0, cache.size());
  }

  @Test
  void zeroTtlAnswerDoesNotDisplaceAStoredOne() {
    CachedAnswer a = answer(Verdict.secure(), 60);
    cache.put(WWW, a);
    cache.put(WWW, answer(Verdict.secure(), 0));
    assertSame(a, cache.get(WWW));
  }

  @Test
  void newerAnswerReplacesTheOlder() {
    cache.put(WWW, answer(Verdict.secure(), 60));
    CachedAnswer b = answer(Verdict.secure(), 60);
    cache.put(WWW, b);
    assertSame(b, cache.get(WWW));
  }

  @Test
  void flushOfANameRemovesItsSubtreeOnly() {
    CacheKey apex = key("example.", Type.SOA);
    CacheKey deep = key("a.b.example.", Type.TXT);
    CacheKey sibling = key("example.org.", Type.A);
    CacheKey lookalike = key("badexample.", Type.A);
    CacheKey parent = key("com.", Type.NS);
    for (CacheKey k : new CacheKey[] {WWW, apex, deep, sibling, lookalike, parent}) {
      cache.put(k, answer(Verdict.secure(), 60));
    }
    cache.flush(Name.fromConstantString("EXAMPLE."));
    assertNull(cache.get(WWW));
    assertNull(cache.get(apex));
    assertNull(cache.get(deep));
    assertNotNull(cache.get(sibling));
    assertNotNull(cache.get(lookalike));
    assertNotNull(cache.get(parent));
  }

  @Test
  void flushedEntriesAreNotServedStaleEither() {
    cache.put(WWW, answer(Verdict.secure(), 60));
    cache.flush(Name.fromConstantString("www.example."));
    assertNull(cache.getStale(WWW));
  }

  @Test
  void flushAllEmptiesTheCache() {
    cache.put(WWW, answer(Verdict.secure(), 60));
    cache.put(key("example.org.", Type.A), answer(Verdict.secure(), 60));
    cache.flushAll();
    assertEquals(0, cache.size());
    assertNull(cache.get(WWW));
  }

  @Test
  void nowComesFromTheInjectedClock() {
    assertEquals(clock.instant(), cache.now());
    clock.advance(Duration.ofSeconds(5));
    assertEquals(clock.instant(), cache.now());
  }
}
