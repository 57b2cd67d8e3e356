package io.dnssecproxy.resolve;

import static io.dnssecproxy.lab.LabWorld.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dnssecproxy.cache.CacheKey;
import io.dnssecproxy.cache.CachedAnswer;
import io.dnssecproxy.cache.ResponseCache;
import io.dnssecproxy.observe.ProxyMetrics;
import io.dnssecproxy.policy.AnswerBuilder;
import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.server.Transport;
import io.dnssecproxy.testing.MutableClock;
import io.dnssecproxy.lab.RecursiveAnswerer;
import io.dnssecproxy.lab.LabWorld;
import io.dnssecproxy.validation.Ede;
import io.dnssecproxy.validation.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The byte-level cache-hit path must answer exactly as the normal path would, or step aside. */
class CacheHitFastPathTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
  private final ResponseCache cache = new ResponseCache(100, true, Duration.ofHours(1), clock);
  private final CacheHitFastPath fast = new CacheHitFastPath(cache, new ProxyMetrics(new SimpleMeterRegistry()), clock, null);
  private final AnswerBuilder answers = new AnswerBuilder();

  private byte[] answer(byte[] wire, Transport transport, int maxUdp) {
    PlainQuery q = PlainQuery.parse(wire);
    return q == null ? null : fast.answer(q, transport, maxUdp);
  }

  private CachedAnswer store(Name name, int type, Verdict verdict) {
    Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    q.getHeader().setFlag(Flags.CD);
    q.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    Message upstream = new RecursiveAnswerer(LabWorld.get().zones()).respond(q);
    CacheKey key = new CacheKey(name, type, DClass.IN);
    CachedAnswer a = fast.withTemplates(key, new CachedAnswer(upstream, verdict, clock.instant(), 300));
    cache.put(key, a);
    return a;
  }

  private static Message query(String name, int type, boolean edns, boolean dnssecOk, int id) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    q.getHeader().setID(id);
    if (edns) {
      q.addRecord(new OPTRecord(1232, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    }
    return q;
  }

  private void assertSameAsNormalPath(Message q, CachedAnswer a, long age) throws Exception {
    byte[] direct = answer(q.toWire(), Transport.UDP, 4096);
    assertNotNull(direct, "fast path declined");
    Message normal = answers.build(q, a.response(), a.verdict(), Mode.ENFORCE, age, a.ttlSeconds() - age, false).message();
    SameResponse.assertSameResponse(normal, new Message(direct));
  }

  @Test
  void answersLikeTheNormalPathForEveryClientKind() throws Exception {
    CachedAnswer a = store(SECURE_WWW, Type.A, Verdict.secure());
    assertSameAsNormalPath(query("www.secure.test.", Type.A, true, true, 1), a, 0);
    assertSameAsNormalPath(query("www.secure.test.", Type.A, true, false, 2), a, 0);
    assertSameAsNormalPath(query("www.secure.test.", Type.A, false, false, 3), a, 0);
    Message adClient = query("www.secure.test.", Type.A, false, false, 4);
    adClient.getHeader().setFlag(Flags.AD);
    assertSameAsNormalPath(adClient, a, 0);
  }

  @Test
  void keepsTheClientsSpellingOfTheQuestion() throws Exception {
    CachedAnswer a = store(SECURE_WWW, Type.A, Verdict.secure());
    assertSameAsNormalPath(query("WwW.SeCuRe.TeSt.", Type.A, true, true, 7), a, 0);
  }

  @Test
  void countsTtlsDownWithAge() throws Exception {
    CachedAnswer a = store(SECURE_NX, Type.A, Verdict.secure());
    clock.advance(Duration.ofSeconds(42));
    assertSameAsNormalPath(query("nx.secure.test.", Type.A, true, true, 9), a, 42);
  }

  @Test
  void stepsAsideForWhatTheNormalPathMustHandle() throws Exception {
    store(SECURE_WWW, Type.A, Verdict.secure());
    store(BADSIG_WWW, Type.A, Verdict.bogus(Ede.DNSSEC_BOGUS, "bad"));
    store(HIGHITER_NX, Type.A, Verdict.insecure(Ede.UNSUPPORTED_NSEC3_ITERATIONS, "iterations"));
    Message cd = query("www.secure.test.", Type.A, true, true, 1);
    cd.getHeader().setFlag(Flags.CD);
    assertNull(answer(cd.toWire(), Transport.UDP, 4096), "CD");
    assertNull(answer(query("www.badsig.test.", Type.A, true, true, 1).toWire(), Transport.UDP, 4096), "bogus");
    assertNull(answer(query("nx.highiter.test.", Type.A, true, true, 1).toWire(), Transport.UDP, 4096), "EDE");
    assertNull(answer(query("mail.secure.test.", Type.A, true, true, 1).toWire(), Transport.UDP, 4096), "miss");
    Message withOption = Message.newQuery(Record.newRecord(SECURE_WWW, Type.A, DClass.IN));
    withOption.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO, List.<EDNSOption>of(new GenericEDNSOption(10, new byte[8]))), Section.ADDITIONAL);
    assertNull(answer(withOption.toWire(), Transport.UDP, 4096), "EDNS option");
    assertNull(answer(new byte[] {1, 2, 3}, Transport.UDP, 4096), "garbage");
    clock.advance(Duration.ofSeconds(301));
    assertNull(answer(query("www.secure.test.", Type.A, true, true, 1).toWire(), Transport.UDP, 4096), "expired");
  }

  @Test
  void leavesTruncationToTheNormalPath() throws Exception {
    store(SECURE_WWW, Type.A, Verdict.secure());
    byte[] q = query("www.secure.test.", Type.A, false, false, 1).toWire();
    byte[] overTcp = answer(q, Transport.TCP, 4096);
    assertNotNull(overTcp);
    Message dnssec = query("www.secure.test.", Type.A, true, true, 1);
    byte[] big = answer(dnssec.toWire(), Transport.UDP, 4096);
    assertNotNull(big);
    assertNull(answer(dnssec.toWire(), Transport.UDP, big.length - 1), "over the UDP limit");
    assertArrayEquals(big, answer(dnssec.toWire(), Transport.TCP, 0));
  }
}
