package io.dnssecproxy.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.lab.HostileWorld;
import io.dnssecproxy.validation.CryptoProviders;
import io.dnssecproxy.validation.Ede;
import io.dnssecproxy.validation.KeyCache;
import io.dnssecproxy.validation.KeySource;
import io.dnssecproxy.validation.NegativeTrustAnchors;
import io.dnssecproxy.validation.SecurityStatus;
import io.dnssecproxy.validation.TrustAnchors;
import io.dnssecproxy.validation.Validator;
import io.dnssecproxy.validation.ValidatorSettings;
import io.dnssecproxy.validation.Verdict;
import io.dnssecproxy.validation.WorkBudget;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * KeyTrap-style zones against the validator, in-process: each ends bogus (or insecure where RFC
 * 9276 says so) within the per-query work budget, and fast. The wall bound is generous for a
 * loaded 2-core machine; the measured times are printed.
 */
class HostileZoneValidationTest {

  /** Far above what any case needs (milliseconds to tens of them), far below a client's timeout. */
  private static final Duration WALL_BOUND = Duration.ofMillis(1500);
  private static final int ROUNDS = 3;
  private static final Clock CLOCK = Clock.fixed(HostileWorld.NOW, ZoneOffset.UTC);

  private static HostileWorld world;
  private static TrustAnchors anchors;
  private final AtomicInteger fetches = new AtomicInteger();

  @BeforeAll
  static void build() throws Exception {
    CryptoProviders.installBouncyCastle();
    world = HostileWorld.get();
    anchors = TrustAnchors.parse(world.trustAnchorText(), "hostile anchors");
  }

  private Validator validator() {
    KeySource source = (name, type) -> {
      fetches.incrementAndGet();
      return Future.succeededFuture(world.respond(query(name, type)));
    };
    return new Validator(ValidatorSettings.defaults(), anchors, () -> NegativeTrustAnchors.of(List.of()),
        new KeyCache(1000, CLOCK), source, CLOCK, Clock.systemUTC());
  }

  /**
   * Validates with a cold key cache, {@link #ROUNDS} times (the first includes JIT warm-up);
   * checks every round against the wall bound and reports the last, warm one.
   */
  private Verdict validate(Name name, int type) {
    Message response = world.respond(query(name, type));
    Verdict verdict = null;
    long warmMicros = 0;
    for (int round = 0; round < ROUNDS; round++) {
      fetches.set(0);
      Validator v = validator();
      long started = System.nanoTime();
      verdict = v.validate(name, type, response).toCompletionStage().toCompletableFuture().join().verdict();
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      warmMicros = took.toNanos() / 1000;
      assertTrue(took.compareTo(WALL_BOUND) < 0, name + " took " + took.toMillis() + " ms");
      assertTrue(fetches.get() <= WorkBudget.Limits.defaults().subQueries(), "fetches: " + fetches.get());
    }
    System.out.printf("hostile %-36s %-5s %8.1f ms (warm) %2d fetches  %s%n", name, Type.string(type), warmMicros / 1000.0,
        fetches.get(), verdict);
    return verdict;
  }

  private static Message query(Name name, int type) {
    Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    q.getHeader().setFlag(Flags.CD);
    q.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    return q;
  }

  private static void assertBogus(Verdict v, String reasonPart) {
    assertEquals(SecurityStatus.BOGUS, v.status(), v::toString);
    assertTrue(v.reasonText().contains(reasonPart), v::toString);
  }

  private static Name name(String s) {
    return Name.fromConstantString(s);
  }

  @Test
  void theControlZoneIsSecure() {
    assertEquals(SecurityStatus.SECURE, validate(HostileWorld.GOOD_WWW, Type.A).status());
    assertEquals(SecurityStatus.SECURE, validate(name("x.wild.good.hostile."), Type.A).status());
  }

  @Test
  void manyDnskeysSharingOneKeyTagWithManySignaturesEndBogusAfterFewTries() {
    assertBogus(validate(name("www.keytrap.hostile."), Type.A), "KeyTrap");
  }

  @Test
  void rsaKeysWithHugeExponentsAreNotWorthVerifying() {
    assertBogus(validate(name("www.bigexp.hostile."), Type.A), "RSA public exponent of 4096 bits");
  }

  @Test
  void manyGarbageSignaturesOnOneRrsetEndBogusAfterFewTries() {
    assertBogus(validate(name("www.manysigs.hostile."), Type.A), "KeyTrap");
  }

  @Test
  void aZoneThatServedKeyTrapSignaturesIsRememberedBogusSoFreshNamesCostNoCrypto() {
    Validator v = validator();
    Name first = name("www.manysigs.hostile.");
    v.validate(first, Type.A, world.respond(query(first, Type.A))).toCompletionStage().toCompletableFuture().join();
    Name fresh = name("fresh.wild.manysigs.hostile.");
    Verdict again = v.validate(fresh, Type.A, world.respond(query(fresh, Type.A))).toCompletionStage().toCompletableFuture().join().verdict();
    assertBogus(again, "served KeyTrap-style signatures or keys");
    Name good = HostileWorld.GOOD_WWW;
    assertEquals(SecurityStatus.SECURE, v.validate(good, Type.A, world.respond(query(good, Type.A)))
        .toCompletionStage().toCompletableFuture().join().verdict().status(), "other zones are not affected");
  }

  @Test
  void manyGarbageSignaturesOnTheKeySetEndBogusAfterFewTries() {
    assertBogus(validate(name("www.dnskeysigs.hostile."), Type.A), "DNSKEY set of dnskeysigs.hostile.");
  }

  @Test
  void manyDsRecordsEndBogusWithinTheDigestBudget() {
    Verdict v = validate(name("www.manyds.hostile."), Type.A);
    assertEquals(SecurityStatus.BOGUS, v.status(), v::toString);
  }

  @Test
  void aDenialStuffedWithEveryNsec3RecordIsBogusWithoutVerifyingThemAll() {
    assertBogus(validate(name("nx.nsec3many.hostile."), Type.A), "at most 8 are considered");
  }

  @Test
  void nsec3AboveTheIterationLimitIsInsecureWithEde27() {
    Verdict v = validate(name("nx.nsec3iter.hostile."), Type.A);
    assertEquals(SecurityStatus.INSECURE, v.status(), v::toString);
    assertEquals(Ede.UNSUPPORTED_NSEC3_ITERATIONS, v.ede());
  }

  @Test
  void aDenialForAHundredLabelNameAtTheIterationLimitStaysWithinTheHashBudget() {
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      deep.append("a.");
    }
    Verdict v = validate(name(deep + "nsec3deep.hostile."), Type.A);
    assertTrue(v.status() == SecurityStatus.SECURE || v.isBogus(), v::toString);
  }

  @Test
  void aCnameChainLongerThanTheLimitIsBogus() {
    assertBogus(validate(HostileWorld.CHAIN_START, Type.A), "alias chain longer than");
  }

  @Test
  void aCnameLoopIsBogus() {
    assertBogus(validate(HostileWorld.LOOP_START, Type.A), "alias chain loops");
  }
}
