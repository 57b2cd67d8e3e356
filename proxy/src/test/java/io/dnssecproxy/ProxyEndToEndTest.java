package io.dnssecproxy;

import static io.dnssecproxy.lab.LabWorld.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.lab.LabUpstream;
import io.dnssecproxy.lab.LabWorld;
import io.dnssecproxy.validation.Ede;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Every fixture case through the real UDP and TCP ports of a running proxy, in both modes:
 * rcode, AD, EDE code and answer contents, as a client such as dig sees them.
 */
class ProxyEndToEndTest {

  /** What a client must see. {@code ede} is for enforce mode; -1 means no EDE option. */
  record Case(String label, Name name, int type, int rcode, boolean ad, int ede, String answerContains) {
    boolean bogus() {
      return rcode == Rcode.SERVFAIL;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    c.add(new Case("secure positive (ECDSA, NSEC)", SECURE_WWW, Type.A, Rcode.NOERROR, true, -1, "192.0.2.1"));
    c.add(new Case("secure NXDOMAIN (NSEC)", SECURE_NX, Type.A, Rcode.NXDOMAIN, true, -1, null));
    c.add(new Case("secure NODATA (NSEC)", SECURE_WWW, Type.SRV, Rcode.NOERROR, true, -1, null));
    c.add(new Case("secure wildcard (NSEC)", SECURE_WILDCARD_HOST, Type.A, Rcode.NOERROR, true, -1, "192.0.2.2"));
    c.add(new Case("secure positive (RSA, NSEC3)", NSEC3_WWW, Type.A, Rcode.NOERROR, true, -1, "192.0.2.11"));
    c.add(new Case("secure NXDOMAIN (NSEC3)", NSEC3_NX, Type.A, Rcode.NXDOMAIN, true, -1, null));
    c.add(new Case("secure wildcard (NSEC3)", NSEC3_WILDCARD_HOST, Type.A, Rcode.NOERROR, true, -1, "192.0.2.12"));
    c.add(new Case("secure Ed25519", ED_WWW, Type.A, Rcode.NOERROR, true, -1, "192.0.2.41"));
    c.add(new Case("secure cross-zone CNAME", SECURE_ALIAS, Type.A, Rcode.NOERROR, true, -1, "192.0.2.11"));
    c.add(new Case("secure DNAME", SECURE_DNAME_WWW, Type.A, Rcode.NOERROR, true, -1, "192.0.2.11"));
    c.add(new Case("insecure delegation", INSECURE_WWW, Type.A, Rcode.NOERROR, false, -1, "192.0.2.51"));
    c.add(new Case("CNAME into insecure zone", SECURE_ALIAS_INSECURE, Type.A, Rcode.NOERROR, false, -1, "192.0.2.51"));
    c.add(new Case("opt-out unsigned child", OPTOUT_UNSIGNED_WWW, Type.A, Rcode.NOERROR, false, -1, "192.0.2.32"));
    c.add(new Case("NSEC3 iterations above limit", HIGHITER_NX, Type.A, Rcode.NXDOMAIN, false, Ede.UNSUPPORTED_NSEC3_ITERATIONS, null));
    c.add(new Case("bogus: signature expired", EXPIRED_WWW, Type.A, Rcode.SERVFAIL, false, Ede.SIGNATURE_EXPIRED, null));
    c.add(new Case("bogus: signature not yet valid", NOTYET_WWW, Type.A, Rcode.SERVFAIL, false, Ede.SIGNATURE_NOT_YET_VALID, null));
    c.add(new Case("bogus: corrupted signature", BADSIG_WWW, Type.A, Rcode.SERVFAIL, false, Ede.DNSSEC_BOGUS, null));
    c.add(new Case("bogus: DS matches no DNSKEY", NODS_WWW, Type.A, Rcode.SERVFAIL, false, Ede.DNSKEY_MISSING, null));
    c.add(new Case("bogus: RRSIGs missing", NOSIG_WWW, Type.A, Rcode.SERVFAIL, false, Ede.RRSIGS_MISSING, null));
    c.add(new Case("bogus: DNSKEY set not signed by KSK", BADKSK_WWW, Type.A, Rcode.SERVFAIL, false, Ede.DNSKEY_MISSING, null));
    c.add(new Case("bogus: NXDOMAIN without proof", FORGED_NX, Type.A, Rcode.SERVFAIL, false, Ede.NSEC_MISSING, null));
    return c;
  }

  static Stream<Arguments> casesAndTransports() {
    return cases().stream().flatMap(c -> Stream.of(Arguments.of(c, false), Arguments.of(c, true)));
  }

  private static Vertx vertx;
  private static LabUpstream upstream;
  private static ProxyHarness enforce;
  private static ProxyHarness permissive;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = LabUpstream.forHierarchy(vertx).start().await();
    String anchors = LabWorld.get().trustAnchorFile().toString();
    Clock clock = Clock.systemUTC();
    enforce = ProxyHarness.start(vertx, upstream.address(), clock, o -> {
      o.trustAnchorFile = anchors;
      o.now = NOW.toString();
    });
    permissive = ProxyHarness.start(vertx, upstream.address(), clock, o -> {
      o.trustAnchorFile = anchors;
      o.now = NOW.toString();
      o.mode = "permissive";
    });
  }

  @AfterAll
  static void stop() {
    enforce.close();
    permissive.close();
    upstream.close();
    vertx.close().await();
  }

  @ParameterizedTest(name = "enforce, tcp={1}: {0}")
  @MethodSource("casesAndTransports")
  void enforceModeAnswersAsTheVerdictSays(Case c, boolean tcp) throws Exception {
    Message r = enforce.query(c.name(), c.type(), tcp);
    assertEquals(Rcode.string(c.rcode()), Rcode.string(r.getRcode()), () -> r.toString());
    assertEquals(c.ad(), r.getHeader().getFlag(Flags.AD), "AD flag");
    assertEquals(c.ede(), edeCode(r), () -> "EDE in " + r);
    if (c.answerContains() != null) {
      assertTrue(answerText(r).contains(c.answerContains()), () -> "answer lacks " + c.answerContains() + ": " + r);
    }
    if (c.bogus()) {
      assertTrue(r.getSection(Section.ANSWER).isEmpty(), "SERVFAIL must carry no data");
    }
  }

  @ParameterizedTest(name = "permissive, tcp={1}: {0}")
  @MethodSource("casesAndTransports")
  void permissiveModePassesBogusDataWithoutAd(Case c, boolean tcp) throws Exception {
    Message r = permissive.query(c.name(), c.type(), tcp);
    if (c.bogus()) {
      assertTrue(r.getRcode() == Rcode.NOERROR || r.getRcode() == Rcode.NXDOMAIN, () -> r.toString());
      assertFalse(r.getHeader().getFlag(Flags.AD), "bogus data must never carry AD");
      assertEquals(c.ede(), edeCode(r), "permissive answers still explain the failure");
      assertTrue(permissive.events.stream().anyMatch(l -> l.contains(c.name().toString()) && l.contains("\"action\":\"passed\"")),
          () -> "no event logged for " + c.name() + ": " + permissive.events);
    } else {
      assertEquals(Rcode.string(c.rcode()), Rcode.string(r.getRcode()));
      assertEquals(c.ad(), r.getHeader().getFlag(Flags.AD));
    }
  }

  @ParameterizedTest(name = "tcp={0}")
  @MethodSource("transports")
  void clientCheckingDisabledGetsBogusDataWithoutAd(boolean tcp) throws Exception {
    Message r = enforce.query(BADSIG_WWW, Type.A, tcp, true, true);
    assertEquals(Rcode.NOERROR, r.getRcode());
    assertFalse(r.getHeader().getFlag(Flags.AD));
    assertTrue(answerText(r).contains("192.0.2."), r::toString);
    assertTrue(r.getSection(Section.ANSWER).stream().allMatch(rec -> rec.getTTL() > 0), "unvalidated data keeps its TTLs: " + r);
    Message secure = enforce.query(SECURE_WWW, Type.A, tcp, true, true);
    assertFalse(secure.getHeader().getFlag(Flags.AD), "CD=1 answers are not validated, so never AD");
  }

  @ParameterizedTest(name = "tcp={0}")
  @MethodSource("transports")
  void clientWithoutDoGetsNoDnssecRecordsAndNoAd(boolean tcp) throws Exception {
    Message r = enforce.query(SECURE_WWW, Type.A, tcp, false, false);
    assertEquals(Rcode.NOERROR, r.getRcode());
    assertFalse(r.getHeader().getFlag(Flags.AD));
    for (int s : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      for (Record rec : r.getSection(s)) {
        assertFalse(rec.getType() == Type.RRSIG || rec.getType() == Type.NSEC || rec.getType() == Type.NSEC3, rec::toString);
      }
    }
    Message nx = enforce.query(SECURE_NX, Type.A, tcp, false, false);
    assertEquals(Rcode.NXDOMAIN, nx.getRcode());
    assertTrue(nx.getSection(Section.AUTHORITY).stream().noneMatch(rec -> rec.getType() == Type.NSEC));
  }

  @ParameterizedTest(name = "tcp={0}")
  @MethodSource("transports")
  void secureAnswersCarryRrsigsForDoClients(boolean tcp) throws Exception {
    Message r = enforce.query(SECURE_WWW, Type.A, tcp);
    assertTrue(r.getSection(Section.ANSWER).stream().anyMatch(rec -> rec.getType() == Type.RRSIG));
    OPTRecord opt = r.getOPT();
    assertTrue(opt != null && (opt.getFlags() & org.xbill.DNS.ExtendedFlags.DO) != 0, "DO echoed");
  }

  @ParameterizedTest(name = "tcp={0}")
  @MethodSource("transports")
  void modeSwitchAppliesToCachedAnswersAtOnce(boolean tcp) throws Exception {
    Name name = tcp ? EXPIRED_WWW : NOTYET_WWW;
    try (ProxyHarness p = ProxyHarness.start(vertx, upstream.address(), Clock.systemUTC(), o -> {
      o.trustAnchorFile = LabWorld.get().trustAnchorFile().toString();
      o.now = NOW.toString();
    })) {
      assertEquals(Rcode.SERVFAIL, p.query(name, Type.A, tcp).getRcode());
      p.server.mode().set(Mode.PERMISSIVE);
      Message passed = p.query(name, Type.A, tcp);
      assertEquals(Rcode.NOERROR, passed.getRcode());
      assertFalse(passed.getHeader().getFlag(Flags.AD));
    }
  }

  static Stream<Arguments> transports() {
    return Stream.of(Arguments.of(false), Arguments.of(true));
  }

  static int edeCode(Message r) {
    OPTRecord opt = r.getOPT();
    if (opt == null) {
      return -1;
    }
    List<EDNSOption> ede = opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
    return ede.isEmpty() ? -1 : ((ExtendedErrorCodeOption) ede.get(0)).getErrorCode();
  }

  static String answerText(Message r) {
    return r.getSection(Section.ANSWER).stream().map(Record::toString).collect(Collectors.joining("\n"));
  }

}
