package io.dnssecproxy.resolve;

import static io.dnssecproxy.lab.LabWorld.NOW;
import static io.dnssecproxy.lab.LabWorld.NSEC3_WILDCARD_HOST;
import static io.dnssecproxy.lab.LabWorld.SECURE_NX;
import static io.dnssecproxy.lab.LabWorld.SECURE_WILDCARD_HOST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.cache.CacheKey;
import io.dnssecproxy.cache.ResponseCache;
import io.dnssecproxy.cache.TtlPolicy;
import io.dnssecproxy.lab.LabWorld;
import io.dnssecproxy.lab.RecursiveAnswerer;
import io.dnssecproxy.observe.EventLog;
import io.dnssecproxy.observe.ProxyMetrics;
import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.policy.ModeSwitch;
import io.dnssecproxy.server.ClientQuery;
import io.dnssecproxy.server.Transport;
import io.dnssecproxy.testing.MutableClock;
import io.dnssecproxy.upstream.Upstream;
import io.dnssecproxy.validation.CryptoProviders;
import io.dnssecproxy.validation.KeyCache;
import io.dnssecproxy.validation.NegativeTrustAnchors;
import io.dnssecproxy.validation.TrustAnchors;
import io.dnssecproxy.validation.Validator;
import io.dnssecproxy.validation.ValidatorSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Names that held NSEC/NSEC3 records prove (wildcard expansions, NXDOMAIN) are answered from
 * bytes exactly as the pipeline's normal path answers them, without asking the upstream.
 */
class ProvenDenialFastPathTest {

  private final MutableClock clock = new MutableClock(NOW);
  private final List<Name> asked = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ResponseCache cache = new ResponseCache(100, true, Duration.ofHours(1), clock);
  private QueryPipeline pipeline;

  @BeforeEach
  void pipeline() throws Exception {
    CryptoProviders.installBouncyCastle();
    RecursiveAnswerer answerer = new RecursiveAnswerer(LabWorld.get().zones());
    Upstream upstream = question -> {
      asked.add(question.name());
      Message q = Message.newQuery(Record.newRecord(question.name(), question.type(), question.dclass()));
      q.getHeader().setFlag(Flags.CD);
      q.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
      return Future.succeededFuture(answerer.respond(q));
    };
    TrustAnchors anchors = TrustAnchors.parse(LabWorld.get().trustAnchorText(), "test anchors");
    Validator validator = new Validator(ValidatorSettings.defaults(), anchors, () -> NegativeTrustAnchors.of(List.of()),
        new KeyCache(1000, clock), new UpstreamKeySource(upstream), clock, clock);
    pipeline = new QueryPipeline(cache,
        new TtlPolicy(Duration.ofDays(1), Duration.ofHours(1), Duration.ofMinutes(1)), upstream, validator,
        new ModeSwitch(Mode.ENFORCE), new ProxyMetrics(registry),
        new EventLog(line -> {}, clock, Duration.ofSeconds(10)), clock, clock, Duration.ofSeconds(30), true, "test");
  }

  private Message normalPath(Message q) throws Exception {
    return pipeline.handle(new ClientQuery(q, Transport.UDP, null)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static Message query(String name, boolean edns, boolean dnssecOk, int id) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    q.getHeader().setID(id);
    if (edns) {
      q.addRecord(new OPTRecord(1232, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    }
    return q;
  }

  /** The direct answer for {@code q}; then the normal path's for the same query, which must match. */
  private Message assertSameAsNormalPath(Message q) throws Exception {
    int before = asked.size();
    byte[] direct = pipeline.answerDirectly(q.toWire(), Transport.UDP, 4096);
    assertNotNull(direct, "fast path declined " + q.getQuestion());
    Message got = new Message(direct);
    SameResponse.assertSameResponse(normalPath(q), got);
    assertEquals(before, asked.size(), "the upstream was asked: " + asked.subList(before, asked.size()));
    return got;
  }

  @Test
  void nsecWildcardExpansionsMatchTheNormalPathForEveryClientKind() throws Exception {
    normalPath(query(SECURE_WILDCARD_HOST.toString(), true, true, 1));
    Message withDo = assertSameAsNormalPath(query("a.wild.secure.test.", true, true, 2));
    assertEquals(Rcode.NOERROR, withDo.getRcode());
    assertTrue(withDo.getHeader().getFlag(Flags.AD));
    assertTrue(withDo.getSection(Section.ANSWER).stream().anyMatch(r -> r.getType() == Type.RRSIG), withDo::toString);
    assertTrue(withDo.getSection(Section.AUTHORITY).stream().anyMatch(r -> r.getType() == Type.NSEC), withDo::toString);
    assertEquals(Name.fromString("a.wild.secure.test."), withDo.getSection(Section.ANSWER).get(0).getName());
    assertSameAsNormalPath(query("b.wild.secure.test.", true, false, 3));
    assertSameAsNormalPath(query("c.wild.secure.test.", false, false, 4));
    Message adClient = query("d.wild.secure.test.", false, false, 5);
    adClient.getHeader().setFlag(Flags.AD);
    assertSameAsNormalPath(adClient);
    Message spelled = assertSameAsNormalPath(query("MiXeD.WiLd.secure.test.", true, true, 6));
    assertEquals("MiXeD.WiLd.secure.test.", spelled.getSection(Section.ANSWER).get(0).getName().toString(false),
        "the expanded owner points at the client's question");
  }

  @Test
  void nsec3WildcardExpansionsMatchTheNormalPath() throws Exception {
    normalPath(query(NSEC3_WILDCARD_HOST.toString(), true, true, 1));
    // A name whose hash falls in a span not held yet goes the normal way (and its proof is held then).
    int direct = 0;
    for (int i = 0; i < 20; i++) {
      Message q = query("n" + i + ".wild.nsec3.test.", true, true, 10 + i);
      if (pipeline.answerDirectly(q.toWire(), Transport.UDP, 4096) == null) {
        normalPath(q);
        continue;
      }
      Message m = assertSameAsNormalPath(query("n" + i + ".wild.nsec3.test.", true, true, 40 + i));
      assertTrue(m.getSection(Section.AUTHORITY).stream().anyMatch(r -> r.getType() == Type.NSEC3), m::toString);
      direct++;
    }
    assertTrue(direct >= 10, "most names expanded from the held wildcard and NSEC3, got " + direct);
  }

  @Test
  void theNormalPathStillCachesASynthesizedAnswerAskedForAgain() throws Exception {
    normalPath(query(SECURE_WILDCARD_HOST.toString(), true, true, 1));
    CacheKey key = new CacheKey(Name.fromString("twice.wild.secure.test."), Type.A, DClass.IN);
    normalPath(query("twice.wild.secure.test.", true, true, 2));
    assertNull(cache.get(key), "asked once");
    normalPath(query("twice.wild.secure.test.", true, true, 3));
    assertNotNull(cache.get(key), "asked again (by a query the byte path does not take)");
  }

  @Test
  void provenNxdomainMatchesTheNormalPath() throws Exception {
    normalPath(query(SECURE_NX.toString(), true, true, 1));
    Message m = assertSameAsNormalPath(query("nxa.secure.test.", true, true, 2));
    assertEquals(Rcode.NXDOMAIN, m.getRcode());
    assertTrue(m.getSection(Section.AUTHORITY).stream().anyMatch(r -> r.getType() == Type.SOA), m::toString);
    assertSameAsNormalPath(query("nxb.secure.test.", false, false, 3));
  }

  private double synthesized(String kind) {
    var c = registry.find("dnssec.proxy.synthesized").tag("kind", kind).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void bothPathsCountWhatTheyProveByKind() throws Exception {
    normalPath(query(SECURE_WILDCARD_HOST.toString(), true, true, 1));
    normalPath(query(SECURE_NX.toString(), true, true, 2));
    assertEquals(0, synthesized("wildcard"), "learnt from the upstream, not synthesized");
    assertNotNull(pipeline.answerDirectly(query("k1.wild.secure.test.", true, true, 3).toWire(), Transport.UDP, 4096));
    assertEquals(1, synthesized("wildcard"), "the byte path");
    normalPath(query("k2.wild.secure.test.", true, true, 4));
    assertEquals(2, synthesized("wildcard"), "the normal path");
    assertNotNull(pipeline.answerDirectly(query("nxc.secure.test.", true, true, 5).toWire(), Transport.UDP, 4096));
    assertEquals(1, synthesized("nxdomain"));
    assertEquals(0, synthesized("nodata"));
  }

  @Test
  void templatesFollowTheClockAsTheNormalPathDoes() throws Exception {
    normalPath(query(SECURE_WILDCARD_HOST.toString(), true, true, 1));
    Message first = assertSameAsNormalPath(query("t1.wild.secure.test.", true, true, 2));
    clock.advance(Duration.ofSeconds(90));
    Message later = assertSameAsNormalPath(query("t2.wild.secure.test.", true, true, 3));
    assertEquals(first.getSection(Section.ANSWER).get(0).getTTL(), later.getSection(Section.ANSWER).get(0).getTTL(),
        "synthesized from the held records, as the normal path does");
    clock.advance(Duration.ofDays(2));
    assertNull(pipeline.answerDirectly(query("t3.wild.secure.test.", true, true, 4).toWire(), Transport.UDP, 4096),
        "the held records have expired: the upstream must be asked");
  }

  @Test
  void stepsAsideForTruncationAndForQueriesThatAreNotPlain() throws Exception {
    normalPath(query(SECURE_WILDCARD_HOST.toString(), true, true, 1));
    byte[] q = query("s.wild.secure.test.", true, true, 2).toWire();
    byte[] full = pipeline.answerDirectly(q, Transport.UDP, 4096);
    assertNotNull(full);
    assertNull(pipeline.answerDirectly(q, Transport.UDP, full.length - 1), "over the UDP limit");
    Message cd = query("s.wild.secure.test.", true, true, 3);
    cd.getHeader().setFlag(Flags.CD);
    assertNull(pipeline.answerDirectly(cd.toWire(), Transport.UDP, 4096), "CD");
    assertNull(pipeline.answerDirectly(query("www.other.test.", true, true, 4).toWire(), Transport.UDP, 4096), "nothing proven");
    Message chaos = Message.newQuery(Record.newRecord(Name.fromString("s.wild.secure.test."), Type.A, DClass.CH));
    assertNull(pipeline.answerDirectly(chaos.toWire(), Transport.UDP, 4096), "records of class IN prove nothing about class CH");
    int before = asked.size();
    normalPath(chaos);
    assertEquals(before + 1, asked.size(), "the normal path asks the upstream for it");
  }
}
