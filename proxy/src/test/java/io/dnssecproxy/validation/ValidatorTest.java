package io.dnssecproxy.validation;

import static io.dnssecproxy.lab.LabWorld.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.lab.KeyRole;
import io.dnssecproxy.lab.LabKeys;
import io.dnssecproxy.lab.LabWorld;
import io.dnssecproxy.lab.LabZone;
import io.dnssecproxy.lab.RecursiveAnswerer;
import io.dnssecproxy.lab.SigningConfig;
import io.vertx.core.Future;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;

/**
 * The validator against the signed test hierarchy, with the fixture's recursive answerer as an
 * in-process key source: every verdict and EDE code the spine issue names, without sockets.
 */
class ValidatorTest {

  private static RecursiveAnswerer answerer;
  private static TrustAnchors anchors;

  @BeforeAll
  static void world() throws IOException {
    CryptoProviders.installBouncyCastle();
    LabWorld h = LabWorld.get();
    answerer = new RecursiveAnswerer(h.zones());
    anchors = TrustAnchors.parse(h.trustAnchorText(), "test anchors");
  }

  private final AtomicInteger fetches = new AtomicInteger();

  private Validator validator(ValidatorSettings settings, Clock clock) {
    KeySource source = (name, type) -> {
      fetches.incrementAndGet();
      return Future.succeededFuture(ask(name, type));
    };
    return new Validator(settings, anchors, () -> NegativeTrustAnchors.of(List.of()), new KeyCache(1000, clock), source, clock, clock);
  }

  private Validator validator() {
    return validator(ValidatorSettings.defaults(), CLOCK);
  }

  private static Message ask(Name name, int type) {
    return answerer.respond(query(name, type));
  }

  private Verdict validate(Validator v, Name name, int type) {
    Message response = ask(name, type);
    return v.validate(name, type, response).toCompletionStage().toCompletableFuture().join().verdict();
  }

  private Verdict validate(Name name, int type) {
    return validate(validator(), name, type);
  }

  private static void assertStatus(SecurityStatus expected, Verdict v) {
    assertEquals(expected, v.status(), v::toString);
  }

  private static void assertBogus(int ede, Verdict v) {
    assertEquals(SecurityStatus.BOGUS, v.status(), v::toString);
    assertEquals(ede, v.ede(), v::toString);
  }

  @Test
  void rootAndTldKeysAreSecure() {
    assertStatus(SecurityStatus.SECURE, validate(Name.root, Type.DNSKEY));
    assertStatus(SecurityStatus.SECURE, validate(TEST, Type.SOA));
  }

  @Test
  void positiveAnswersInEveryAlgorithmAreSecure() {
    assertStatus(SecurityStatus.SECURE, validate(SECURE_WWW, Type.A));
    assertStatus(SecurityStatus.SECURE, validate(NSEC3_WWW, Type.A));
    assertStatus(SecurityStatus.SECURE, validate(ED_WWW, Type.A));
    assertStatus(SecurityStatus.SECURE, validate(OPTOUT_WWW, Type.A));
  }

  @Test
  void nsecDenialsAreSecure() {
    assertStatus(SecurityStatus.SECURE, validate(SECURE_NX, Type.A));
    assertStatus(SecurityStatus.SECURE, validate(SECURE_WWW, Type.SRV));
    assertStatus(SecurityStatus.SECURE, validate(SECURE_ENT, Type.A));
  }

  @Test
  void nsec3DenialsAreSecure() {
    assertStatus(SecurityStatus.SECURE, validate(NSEC3_NX, Type.A));
    assertStatus(SecurityStatus.SECURE, validate(NSEC3_WWW, Type.SRV));
    assertStatus(SecurityStatus.SECURE, validate(NSEC3_ENT, Type.A));
  }

  @Test
  void wildcardAnswersNeedAndHaveTheirProof() {
    assertStatus(SecurityStatus.SECURE, validate(SECURE_WILDCARD_HOST, Type.A));
    assertStatus(SecurityStatus.SECURE, validate(NSEC3_WILDCARD_HOST, Type.A));
  }

  @Test
  void wildcardNodataIsSecure() {
    assertStatus(SecurityStatus.SECURE, validate(SECURE_WILDCARD_HOST, Type.MX));
    assertStatus(SecurityStatus.SECURE, validate(NSEC3_WILDCARD_HOST, Type.MX));
  }

  @Test
  void crossZoneChainsTakeTheWeakestLink() {
    assertStatus(SecurityStatus.SECURE, validate(SECURE_ALIAS, Type.A));
    assertStatus(SecurityStatus.SECURE, validate(SECURE_ALIAS_NX, Type.A));
    assertStatus(SecurityStatus.SECURE, validate(SECURE_DNAME_WWW, Type.A));
    assertStatus(SecurityStatus.INSECURE, validate(SECURE_ALIAS_INSECURE, Type.A));
  }

  @Test
  void failuresNameTheRrsetTheyConcernAndSecureAnswersCarryNoReasons() {
    Verdict bogus = validate(BADSIG_WWW, Type.A);
    assertEquals(BADSIG_WWW + " A", bogus.reasons().get(0), bogus::toString);
    assertTrue(bogus.reasons().size() > 1, bogus::toString);
    Verdict insecure = validate(INSECURE_WWW, Type.A);
    assertEquals(INSECURE_WWW + " A", insecure.reasons().get(0), insecure::toString);
    assertEquals(List.of(), validate(SECURE_WWW, Type.A).reasons());
    assertEquals(List.of(), validate(SECURE_ALIAS, Type.A).reasons());
    assertEquals(List.of(), validate(SECURE_NX, Type.A).reasons());
  }

  @Test
  void unsignedDelegationsAreInsecure() {
    assertStatus(SecurityStatus.INSECURE, validate(INSECURE_WWW, Type.A));
    assertStatus(SecurityStatus.INSECURE, validate(OPTOUT_UNSIGNED_WWW, Type.A));
  }

  @Test
  void optOutNxdomainIsOnlyInsecure() {
    assertStatus(SecurityStatus.INSECURE, validate(OPTOUT_NX, Type.A));
  }

  @Test
  void nsec3AboveTheIterationLimitIsInsecureWithEde27() {
    Verdict v = validate(HIGHITER_NX, Type.A);
    assertStatus(SecurityStatus.INSECURE, v);
    assertEquals(Ede.UNSUPPORTED_NSEC3_ITERATIONS, v.ede());
    assertStatus(SecurityStatus.SECURE, validate(HIGHITER_WWW, Type.A));
  }

  @Test
  void bogusZonesGetTheSpecificEdeCode() {
    assertBogus(Ede.SIGNATURE_EXPIRED, validate(EXPIRED_WWW, Type.A));
    assertBogus(Ede.SIGNATURE_NOT_YET_VALID, validate(NOTYET_WWW, Type.A));
    assertBogus(Ede.DNSSEC_BOGUS, validate(BADSIG_WWW, Type.A));
    assertBogus(Ede.DNSKEY_MISSING, validate(NODS_WWW, Type.A));
    assertBogus(Ede.RRSIGS_MISSING, validate(NOSIG_WWW, Type.A));
    assertEquals(SecurityStatus.BOGUS, validate(BADKSK_WWW, Type.A).status());
    assertBogus(Ede.NSEC_MISSING, validate(FORGED_NX, Type.A));
  }

  @Test
  void reasonChainNamesTheZoneAndTheRecord() {
    Verdict v = validate(EXPIRED_WWW, Type.A);
    assertTrue(v.reasonText().contains("www.expired.test."), v.reasonText());
    assertTrue(v.reasonText().contains("expired"), v.reasonText());
  }

  @Test
  void clockSkewAllowanceAcceptsSignaturesJustOutsideTheWindow() {
    Clock late = Clock.fixed(EXPIRATION.plusSeconds(60), java.time.ZoneOffset.UTC);
    assertStatus(SecurityStatus.SECURE, validate(validator(ValidatorSettings.defaults(), late), SECURE_WWW, Type.A));
    Clock tooLate = Clock.fixed(EXPIRATION.plusSeconds(3600), java.time.ZoneOffset.UTC);
    assertBogus(Ede.SIGNATURE_EXPIRED, validate(validator(ValidatorSettings.defaults(), tooLate), SECURE_WWW, Type.A));
  }

  @Test
  void validatedKeysAreCachedAcrossQueries() {
    Validator v = validator();
    validate(v, SECURE_WWW, Type.A);
    int first = fetches.get();
    validate(v, SECURE_MAIL, Type.A);
    assertEquals(first, fetches.get(), "second query in the same zone fetched keys again");
  }

  @Test
  void bogusKeysAreCachedSoABogusZoneIsNotRefetched() {
    Validator v = validator();
    validate(v, NODS_WWW, Type.A);
    int first = fetches.get();
    assertEquals(SecurityStatus.BOGUS, validate(v, NODS_WWW, Type.AAAA).status());
    assertEquals(first, fetches.get());
  }

  @Test
  void exhaustedWorkBudgetMakesTheAnswerBogus() {
    ValidatorSettings tight = ValidatorSettings.defaults().withBudget(new WorkBudget.Limits(1, 64, 32, 256, java.time.Duration.ofSeconds(4)));
    Verdict v = validate(validator(tight, CLOCK), SECURE_WWW, Type.A);
    assertEquals(SecurityStatus.BOGUS, v.status());
    assertTrue(v.reasonText().contains("budget"), v.reasonText());
  }

  @Test
  void negativeTrustAnchorMakesABogusZoneInsecure() {
    Validator v = new Validator(ValidatorSettings.defaults(), anchors, () -> NegativeTrustAnchors.of(List.of(BADSIG)),
        new KeyCache(100, CLOCK), (n, t) -> Future.succeededFuture(ask(n, t)), CLOCK, CLOCK);
    assertStatus(SecurityStatus.INSECURE, validate(v, BADSIG_WWW, Type.A));
  }

  @Test
  void upstreamServfailIsIndeterminateNotBogus() {
    Message servfail = ask(SECURE_WWW, Type.A);
    servfail.getHeader().setRcode(Rcode.SERVFAIL);
    Verdict v = validator().validate(SECURE_WWW, Type.A, servfail).toCompletionStage().toCompletableFuture().join().verdict();
    assertStatus(SecurityStatus.INDETERMINATE, v);
  }

  @Test
  void secureAnswerKeepsOnlyVerifiedAuthorityRecords() {
    Message response = ask(SECURE_WWW, Type.A);
    Validation result = validator().validate(SECURE_WWW, Type.A, response).toCompletionStage().toCompletableFuture().join();
    assertStatus(SecurityStatus.SECURE, result.verdict());
    for (Record r : result.response().getSection(Section.AUTHORITY)) {
      assertTrue(r.getType() == Type.NSEC || r.getType() == Type.SOA || r.getType() == Type.RRSIG, r::toString);
    }
    assertTrue(result.response().getSection(Section.ADDITIONAL).stream().allMatch(r -> r.getType() == Type.OPT));
    assertTrue(result.signaturesExpire() != null && !result.signaturesExpire().isAfter(EXPIRATION));
  }

  @Test
  void aRootKskNoAnchorMatchesShowsInTheAnchorWatchAndTheTrace() throws Exception {
    // A root in mid-rollover: its DNSKEY set, signed by the anchored KSK, also carries the next KSK.
    DNSKEYRecord next = new DNSKEYRecord(Name.root, DClass.IN, 3600,
        DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY, DNSKEYRecord.Protocol.DNSSEC, DNSSEC.Algorithm.RSASHA256,
        LabKeys.keyPair(DNSSEC.Algorithm.RSASHA256, KeyRole.KSK, 990).getPublic());
    LabZone root = LabZone.builder(Name.root)
        .signing(SigningConfig.nsec(DNSSEC.Algorithm.RSASHA256, INCEPTION, EXPIRATION).withKeyIndex(991))
        .record(next)
        .build();
    RecursiveAnswerer rootOnly = new RecursiveAnswerer(List.of(root));
    StringBuilder text = new StringBuilder();
    root.dsRecords().forEach(ds -> text.append(ds).append('\n'));
    KeySource source = (name, type) -> Future.succeededFuture(rootOnly.respond(query(name, type)));
    Validator v = new Validator(ValidatorSettings.defaults(), TrustAnchors.parse(text.toString(), "rollover anchors"),
        () -> NegativeTrustAnchors.of(List.of()), new KeyCache(1000, CLOCK), source, CLOCK, CLOCK);
    List<AnchorKeyWatch.Observation> heard = new java.util.ArrayList<>();
    v.anchorKeys().onChange(heard::add);

    Trace trace = new Trace();
    Verdict verdict = v.validate(Name.root, Type.SOA, rootOnly.respond(query(Name.root, Type.SOA)), trace)
        .toCompletionStage().toCompletableFuture().join().verdict();

    assertStatus(SecurityStatus.SECURE, verdict);
    assertEquals(List.of(next.getFootprint()), v.anchorKeys().latest(Name.root).newKsks());
    assertEquals(List.of(), v.anchorKeys().latest(Name.root).unusedAnchors());
    assertEquals(1, heard.size());
    assertTrue(trace.steps().stream().anyMatch(step -> step.outcome() == Trace.Outcome.INFO
        && step.detail().equals("KSK " + next.getFootprint() + " in the DNSKEY set matches no trust anchor (a key rollover under way?)")), trace.steps()::toString);
  }

  @Test
  void theSharedWorldsRootKeysMatchItsAnchorsExactly() {
    Validator v = validator();
    assertStatus(SecurityStatus.SECURE, validate(v, Name.root, Type.DNSKEY));
    assertTrue(v.anchorKeys().latest(Name.root).clean(), () -> v.anchorKeys().latest(Name.root).toString());
  }

  private static Message query(Name name, int type) {
    Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    q.getHeader().setFlag(Flags.CD);
    q.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    return q;
  }
}
