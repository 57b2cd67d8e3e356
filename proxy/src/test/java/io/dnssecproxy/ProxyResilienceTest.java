package io.dnssecproxy;

import static io.dnssecproxy.ProxyEndToEndTest.answerText;
import static io.dnssecproxy.ProxyEndToEndTest.edeCode;
import static io.dnssecproxy.lab.LabWorld.*;
import static io.dnssecproxy.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.cache.CacheKey;
import io.dnssecproxy.cache.CachedAnswer;
import io.dnssecproxy.lab.LabUpstream;
import io.dnssecproxy.testing.MutableClock;
import io.dnssecproxy.lab.Spoof;
import io.dnssecproxy.lab.Spoofer;
import io.dnssecproxy.lab.LabWorld;
import io.dnssecproxy.upstream.Question;
import io.dnssecproxy.validation.Ede;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The proxy's behaviour around the validator: cache hits, coalescing, TTL countdown,
 * serve-stale, upstream failure, spoofed upstream answers. Each test gets its own upstream and
 * proxy, with a hand-moved wall clock.
 */
class ProxyResilienceTest {

  private Vertx vertx;
  private LabUpstream upstream;
  private MutableClock clock;
  private ProxyHarness proxy;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = LabUpstream.forHierarchy(vertx).start().await();
    clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
    proxy = startProxy(o -> {});
  }

  /** A proxy on the lab world's anchors and time, with {@code more} options. */
  private ProxyHarness startProxy(java.util.function.Consumer<io.dnssecproxy.config.ProxyOptions> more) throws Exception {
    return ProxyHarness.start(vertx, upstream.address(), clock, o -> {
      o.trustAnchorFile = LabWorld.get().trustAnchorFile().toString();
      o.now = NOW.toString();
      more.accept(o);
    });
  }

  private void restartWith(java.util.function.Consumer<io.dnssecproxy.config.ProxyOptions> more) throws Exception {
    proxy.close();
    proxy = startProxy(more);
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
    vertx.close().await();
  }

  @Test
  void aCachedAnswerIsServedWithoutAskingTheUpstreamAgain() throws Exception {
    proxy.query(SECURE_MAIL, Type.A, false);
    long asked = upstream.count(SECURE_MAIL, Type.A);
    Message again = proxy.query(SECURE_MAIL, Type.A, true);
    assertTrue(again.getHeader().getFlag(Flags.AD));
    assertEquals(asked, upstream.count(SECURE_MAIL, Type.A));
    assertEquals(1, asked);
  }

  @Test
  void servedTtlsCountDownWhileCached() throws Exception {
    long first = ttlOf(proxy.query(SECURE_WWW, Type.A, false), Type.A);
    clock.advance(Duration.ofSeconds(100));
    long later = ttlOf(proxy.query(SECURE_WWW, Type.A, false), Type.A);
    assertEquals(first - 100, later);
  }

  @Test
  void identicalConcurrentQueriesAndTheirKeyFetchesGoUpstreamOnce() throws Exception {
    upstream.delay(Question.of(ED_WWW, Type.A), Duration.ofMillis(300));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Message>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        boolean tcp = i % 2 == 0;
        Callable<Message> q = () -> proxy.query(ED_WWW, Type.A, tcp);
        answers.add(pool.submit(q));
      }
      for (Future<Message> f : answers) {
        assertTrue(f.get().getHeader().getFlag(Flags.AD));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, upstream.count(ED_WWW, Type.A), "client question coalesced");
    assertEquals(1, upstream.count(ED, Type.DNSKEY), "key fetch coalesced");
    assertEquals(1, upstream.count(ED, Type.DS), "DS fetch coalesced");
  }

  @Test
  void whenEveryUpstreamFailsAnExpiredAnswerIsServedStale() throws Exception {
    proxy.query(SECURE_WWW, Type.TXT, false);
    clock.advance(Duration.ofHours(2)); // past the 3600 s TTL
    upstream.dropAll(true);
    Message stale = proxy.query(SECURE_WWW, Type.TXT, false);
    assertEquals(Rcode.NOERROR, stale.getRcode());
    assertEquals(Ede.STALE_ANSWER, edeCode(stale));
    assertEquals(30, ttlOf(stale, Type.TXT));
  }

  @Test
  void whenEveryUpstreamFailsAndNothingIsCachedTheAnswerIsServfailWithEde22Quickly() throws Exception {
    upstream.dropAll(true);
    long started = System.nanoTime();
    Message r = proxy.query(SECURE_WWW, Type.AAAA, false);
    long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
    assertEquals(Rcode.SERVFAIL, r.getRcode());
    assertEquals(Ede.NO_REACHABLE_AUTHORITY, edeCode(r));
    assertTrue(millis < 2500, "took " + millis + " ms");
  }

  @Test
  void forgedResponsesWithWrongIdOrQuestionAreIgnored() throws Exception {
    upstream.spoof(Question.of(SECURE_WWW, Type.A), Spoof.WRONG_ID, Spoof.WRONG_QUESTION);
    Message r = proxy.query(SECURE_WWW, Type.A, false);
    assertEquals(Rcode.NOERROR, r.getRcode());
    assertTrue(r.getHeader().getFlag(Flags.AD));
    assertTrue(answerText(r).contains("192.0.2.1"));
    assertFalse(answerText(r).contains(Spoofer.SPOOFED_V4));
  }

  @Test
  void forgedDataWithTheRightIdIsNeverReturnedInEnforceModeNorServedAfterwards() throws Exception {
    Question q = Question.of(SECURE_WWW, Type.A);
    upstream.spoof(q, Spoof.UNSIGNED, Spoof.BAD_SIGNATURE);
    Message r = proxy.query(SECURE_WWW, Type.A, false);
    assertFalse(answerText(r).contains(Spoofer.SPOOFED_V4), r::toString);
    assertTrue(r.getRcode() == Rcode.SERVFAIL || answerText(r).contains("192.0.2.1"), r::toString);
    upstream.resetKnobs();
    clock.advance(Duration.ofSeconds(61)); // past the bogus TTL
    Message later = proxy.query(SECURE_WWW, Type.A, false);
    assertTrue(later.getHeader().getFlag(Flags.AD), later::toString);
    assertFalse(answerText(later).contains(Spoofer.SPOOFED_V4));
  }

  @Test
  void aOneShotForgeryIsBeatenByTheRetryOfBogusAnswers() throws Exception {
    Question q = Question.of(NSEC3_WWW, Type.A);
    Message genuine = proxy.query(NSEC3_WWW, Type.TXT, false); // warm the zone's keys
    assertTrue(genuine.getRcode() == Rcode.NOERROR);
    boolean[] forged = {false};
    io.dnssecproxy.lab.RecursiveAnswerer real = new io.dnssecproxy.lab.RecursiveAnswerer(LabWorld.get().zones());
    upstream.respondWith(q, query -> {
      if (!forged[0]) {
        forged[0] = true;
        Message m = io.dnssecproxy.lab.RecursiveAnswerer.emptyResponse(query);
        m.addRecord(new org.xbill.DNS.ARecord(NSEC3_WWW, org.xbill.DNS.DClass.IN, 300, spoofed()), Section.ANSWER);
        return m;
      }
      return real.respond(query);
    });
    Message r = proxy.query(NSEC3_WWW, Type.A, false);
    assertTrue(r.getHeader().getFlag(Flags.AD), r::toString);
    assertTrue(answerText(r).contains("192.0.2.11"));
  }

  @Test
  void aNameInAnAlreadyProvenNsecSpanIsDeniedWithoutAskingTheUpstream() throws Exception {
    Message first = proxy.query(SECURE_NX, Type.A, false);
    assertEquals(Rcode.NXDOMAIN, first.getRcode());
    Name neighbour = Name.fromString("ny.secure.test.");
    Message second = proxy.query(neighbour, Type.A, false);
    assertEquals(Rcode.NXDOMAIN, second.getRcode());
    assertTrue(second.getHeader().getFlag(Flags.AD), second::toString);
    assertTrue(second.getSection(Section.AUTHORITY).stream().anyMatch(r -> r.getType() == Type.NSEC), "the proof is included");
    assertEquals(0, upstream.count(neighbour, Type.A), "RFC 8198: answered from validated NSEC records");
    Message nodata = proxy.query(SECURE_WWW, Type.SRV, false);
    assertEquals(Rcode.NOERROR, nodata.getRcode());
    assertEquals(1, upstream.count(SECURE_WWW, Type.SRV), "www's own NSEC was not yet held: asked once");
    proxy.query(SECURE_WWW, Type.NAPTR, false);
    assertEquals(0, upstream.count(SECURE_WWW, Type.NAPTR), "now it is: NODATA for another type comes from it");
  }

  @Test
  void anotherNameUnderAnAlreadyProvenWildcardIsAnsweredWithoutAskingTheUpstream() throws Exception {
    Message first = proxy.query(SECURE_WILDCARD_HOST, Type.A, false);
    assertTrue(first.getHeader().getFlag(Flags.AD), first::toString);
    Name other = Name.fromString("other.wild.secure.test.");
    Message second = proxy.query(other, Type.A, true);
    assertEquals(Rcode.NOERROR, second.getRcode());
    assertTrue(second.getHeader().getFlag(Flags.AD), second::toString);
    assertTrue(answerText(second).contains("other.wild.secure.test.") && answerText(second).contains("192.0.2.2"), second::toString);
    assertTrue(second.getSection(Section.ANSWER).stream().anyMatch(r -> r.getType() == Type.RRSIG), "the wildcard's RRSIG comes along");
    assertEquals(0, upstream.count(other, Type.A), "RFC 8198: expanded from the validated wildcard");
  }

  @Test
  void aNameTheHeldProofsAnswerIsNotCachedButAnsweredFromThemEachTime() throws Exception {
    proxy.query(SECURE_WILDCARD_HOST, Type.A, false); // proves the wildcard
    Name other = Name.fromString("again.wild.secure.test.");
    CacheKey key = new CacheKey(other, Type.A, DClass.IN);

    Message first = proxy.query(other, Type.A, false);
    Message second = proxy.query(other, Type.A, true);
    Message third = proxy.query(other, Type.A, false);

    assertNull(proxy.server.cache().get(key), "the held wildcard and NSEC answer it as cheaply as a cache entry would");
    assertEquals(first.sectionToString(Section.ANSWER), second.sectionToString(Section.ANSWER));
    assertEquals(first.sectionToString(Section.ANSWER), third.sectionToString(Section.ANSWER));
    assertTrue(third.getHeader().getFlag(Flags.AD));
    assertEquals(0, upstream.count(other, Type.A));
  }

  @Test
  void aNameInAnAlreadyProvenNsec3SpanIsDeniedWithoutAskingTheUpstream() throws Exception {
    Message first = proxy.query(NSEC3_NX, Type.A, false);
    assertEquals(Rcode.NXDOMAIN, first.getRcode());
    // Some neighbour's hash lands in a span the first proof did not hold: ask until one is covered.
    int answeredLocally = 0;
    for (int i = 0; i < 20; i++) {
      Name neighbour = Name.fromString("n" + i + ".nsec3.test.");
      Message r = proxy.query(neighbour, Type.A, false);
      assertEquals(Rcode.NXDOMAIN, r.getRcode());
      assertTrue(r.getHeader().getFlag(Flags.AD), r::toString);
      if (upstream.count(neighbour, Type.A) == 0) {
        answeredLocally++;
        assertTrue(r.getSection(Section.AUTHORITY).stream().anyMatch(x -> x.getType() == Type.NSEC3), "the proof is included");
      }
    }
    assertTrue(answeredLocally >= 10, "RFC 8198 with NSEC3: most neighbours denied from held records, got " + answeredLocally);
  }

  @Test
  void anotherNameUnderAnAlreadyProvenNsec3WildcardIsAnsweredWithoutAskingTheUpstream() throws Exception {
    assertTrue(proxy.query(NSEC3_WILDCARD_HOST, Type.A, false).getHeader().getFlag(Flags.AD));
    int answeredLocally = 0;
    for (int i = 0; i < 20; i++) {
      Name other = Name.fromString("o" + i + ".wild.nsec3.test.");
      Message r = proxy.query(other, Type.A, true);
      assertTrue(r.getHeader().getFlag(Flags.AD), r::toString);
      assertTrue(answerText(r).contains(other.toString()) && answerText(r).contains("192.0.2.12"), r::toString);
      if (upstream.count(other, Type.A) == 0) {
        answeredLocally++;
        assertTrue(r.getSection(Section.ANSWER).stream().anyMatch(x -> x.getType() == Type.RRSIG), "the wildcard's RRSIG comes along");
      }
    }
    assertTrue(answeredLocally >= 10, "expanded from the validated wildcard and held NSEC3, got " + answeredLocally);
  }

  @Test
  void opt_outNsec3SpansAreNeverUsedToDenyOtherNames() throws Exception {
    assertEquals(Rcode.NXDOMAIN, proxy.query(OPTOUT_NX, Type.A, false).getRcode());
    for (int i = 0; i < 5; i++) {
      Name neighbour = Name.fromString("n" + i + ".optout.test.");
      proxy.query(neighbour, Type.A, false);
      assertEquals(1, upstream.count(neighbour, Type.A), "an opt-out span may hide an unsigned delegation: " + neighbour);
    }
  }

  @Test
  void withAggressiveNsecOffEveryNsec3NeighbourGoesToTheUpstream() throws Exception {
    restartWith(o -> o.aggressiveNsec = "false");
    proxy.query(NSEC3_NX, Type.A, false);
    proxy.query(NSEC3_WILDCARD_HOST, Type.A, false);
    for (int i = 0; i < 5; i++) {
      Name neighbour = Name.fromString("n" + i + ".nsec3.test.");
      Name other = Name.fromString("o" + i + ".wild.nsec3.test.");
      proxy.query(neighbour, Type.A, false);
      proxy.query(other, Type.A, false);
      // Once each over UDP; an NXDOMAIN with its three NSEC3 RRsets is over 1232 bytes, so TC=1
      // sends the same query again over TCP.
      assertEquals(1, udpQueries(neighbour), "asked the upstream for " + neighbour);
      assertEquals(1, udpQueries(other), "asked the upstream for " + other);
    }
  }

  private long udpQueries(Name name) {
    return upstream.received().stream().filter(q -> !q.tcp() && q.question().name().equals(name) && q.question().type() == Type.A).count();
  }

  private static java.net.InetAddress spoofed() {
    try {
      return java.net.InetAddress.getByName(Spoofer.SPOOFED_V4);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anAnswerAskedForNearItsExpiryIsRefreshedInTheBackgroundSoItDoesNotExpire() throws Exception {
    // Plain queries (no DO), answered by the cache-hit fast path. SECURE_WWW A has a 3600 s TTL.
    proxy.query(SECURE_WWW, Type.A, false, false, false);
    clock.advance(Duration.ofSeconds(3000)); // 600 s left: not due
    proxy.query(SECURE_WWW, Type.A, false, false, false);
    Thread.sleep(300);
    assertEquals(1, upstream.count(SECURE_WWW, Type.A), "not refreshed while far from expiry");

    clock.advance(Duration.ofSeconds(300)); // 300 s left: within the last tenth
    Message near = proxy.query(SECURE_WWW, Type.A, false, false, false);
    assertEquals(300, ttlOf(near, Type.A), "answered from the cache at once");
    eventually(() -> ttlNow(() -> proxy.query(SECURE_WWW, Type.A, false, false, false), Type.A) == 3600,
        Duration.ofSeconds(5), "the background refresh stored");
    assertEquals(2, upstream.count(SECURE_WWW, Type.A));

    clock.advance(Duration.ofSeconds(600)); // past the first answer's expiry
    Message later = proxy.query(SECURE_WWW, Type.A, false, false, false);
    assertEquals(3000, ttlOf(later, Type.A), "the refreshed answer, stored 600 s ago");
    assertEquals(2, upstream.count(SECURE_WWW, Type.A), "no miss at the old expiry");
  }

  @Test
  void theNormalPathRefreshesNearExpiryToo() throws Exception {
    // An EDNS option the fast path does not handle sends every hit through the pipeline.
    proxy.query(SECURE_WWW, Type.TXT, false);
    clock.advance(Duration.ofSeconds(3500));
    Message near = queryWithOption(SECURE_WWW, Type.TXT);
    assertEquals(100, ttlOf(near, Type.TXT));
    eventually(() -> ttlNow(() -> queryWithOption(SECURE_WWW, Type.TXT), Type.TXT) == 3600, Duration.ofSeconds(5), "the background refresh stored");
    clock.advance(Duration.ofSeconds(200));
    assertEquals(3400, ttlOf(queryWithOption(SECURE_WWW, Type.TXT), Type.TXT));
    assertEquals(2, upstream.count(SECURE_WWW, Type.TXT));
  }

  @Test
  void withPrefetchOffAnAnswerNearExpiryIsLeftToExpire() throws Exception {
    restartWith(o -> o.prefetch = "false");
    proxy.query(SECURE_WWW, Type.A, false, false, false);
    clock.advance(Duration.ofSeconds(3300));
    proxy.query(SECURE_WWW, Type.A, false, false, false);
    Thread.sleep(300);
    assertEquals(1, upstream.count(SECURE_WWW, Type.A));
    clock.advance(Duration.ofSeconds(600));
    assertEquals(3600, ttlOf(proxy.query(SECURE_WWW, Type.A, false, false, false), Type.A), "a miss, answered afresh");
    assertEquals(2, upstream.count(SECURE_WWW, Type.A));
  }

  private Message queryWithOption(Name name, int type) throws Exception {
    org.xbill.DNS.SimpleResolver r = new org.xbill.DNS.SimpleResolver(new java.net.InetSocketAddress("127.0.0.1", proxy.port()));
    r.setTimeout(Duration.ofSeconds(5));
    r.setEDNS(0, 1232, org.xbill.DNS.ExtendedFlags.DO, List.of(new org.xbill.DNS.GenericEDNSOption(65001, new byte[] {1})));
    return r.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
  }

  /** The TTL of {@code type} in the answer to {@code query}, or -1 when asking failed. */
  private static long ttlNow(Callable<Message> query, int type) {
    try {
      return ttlOf(query.call(), type);
    } catch (Exception e) {
      return -1;
    }
  }

  private static long ttlOf(Message m, int type) {
    for (Record r : m.getSection(Section.ANSWER)) {
      if (r.getType() == type) {
        return r.getTTL();
      }
    }
    throw new AssertionError("no " + Type.string(type) + " in " + m);
  }
}
