package io.dnssecproxy.validation;

import static io.dnssecproxy.lab.LabWorld.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dnssecproxy.lab.RecursiveAnswerer;
import io.dnssecproxy.lab.LabWorld;
import io.vertx.core.Future;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Our validator and dnsjava's {@code ValidatingResolver}, an independent implementation, judge
 * the same answers from the test hierarchy. They must agree on "secure" (AD), "bogus"
 * (SERVFAIL) and "neither", except in the documented cases listed in {@link #KNOWN_DIFFERENCES}
 * where ours is right.
 */
class DifferentialOracleTest {

  private enum Outcome { SECURE, BOGUS, NEITHER }

  /**
   * Cases where the oracle is wrong, with why. ValidatingResolver treats NSEC3 above its own
   * iteration limits the same way, so none are listed today; keep this empty unless proven.
   */
  private static final Map<String, String> KNOWN_DIFFERENCES = Map.of();

  private static RecursiveAnswerer answerer;
  private static TrustAnchors anchors;
  private static ValidatingResolver oracle;

  @BeforeAll
  static void world() throws Exception {
    CryptoProviders.installBouncyCastle();
    LabWorld h = LabWorld.get();
    answerer = new RecursiveAnswerer(h.zones());
    anchors = TrustAnchors.parse(h.trustAnchorText(), "test anchors");
    oracle = new ValidatingResolver(new InProcessResolver(), CLOCK);
    oracle.loadTrustAnchors(new ByteArrayInputStream(h.trustAnchorText().getBytes(StandardCharsets.US_ASCII)));
  }

  static Stream<Arguments> cases() {
    List<Object[]> c = List.of(
        new Object[] {SECURE_WWW, Type.A}, new Object[] {SECURE_NX, Type.A}, new Object[] {SECURE_WWW, Type.SRV},
        new Object[] {SECURE_ENT, Type.A}, new Object[] {SECURE_WILDCARD_HOST, Type.A}, new Object[] {SECURE_WILDCARD_HOST, Type.MX},
        new Object[] {SECURE_ALIAS, Type.A}, new Object[] {SECURE_ALIAS_NX, Type.A}, new Object[] {SECURE_ALIAS_INSECURE, Type.A},
        new Object[] {SECURE_DNAME_WWW, Type.A}, new Object[] {NSEC3_WWW, Type.A}, new Object[] {NSEC3_NX, Type.A},
        new Object[] {NSEC3_WWW, Type.SRV}, new Object[] {NSEC3_ENT, Type.A}, new Object[] {NSEC3_WILDCARD_HOST, Type.A},
        new Object[] {OPTOUT_WWW, Type.A}, new Object[] {OPTOUT_UNSIGNED_WWW, Type.A}, new Object[] {ED_WWW, Type.A},
        new Object[] {INSECURE_WWW, Type.A}, new Object[] {HIGHITER_WWW, Type.A}, new Object[] {HIGHITER_NX, Type.A},
        new Object[] {EXPIRED_WWW, Type.A}, new Object[] {NOTYET_WWW, Type.A}, new Object[] {BADSIG_WWW, Type.A},
        new Object[] {NODS_WWW, Type.A}, new Object[] {NOSIG_WWW, Type.A}, new Object[] {BADKSK_WWW, Type.A},
        new Object[] {FORGED_NX, Type.A}, new Object[] {Name.root, Type.DNSKEY}, new Object[] {TEST, Type.SOA});
    return c.stream().map(a -> Arguments.of(a[0], Type.string((Integer) a[1])));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void ourVerdictAgreesWithTheOracle(Name name, String typeName) throws Exception {
    int type = Type.value(typeName);
    Outcome ours = ours(name, type);
    Outcome theirs = oracle(name, type);
    String known = KNOWN_DIFFERENCES.get(name + " " + typeName);
    if (known == null) {
      assertEquals(theirs, ours, "ValidatingResolver says " + theirs + ", we say " + ours);
    }
  }

  private static Outcome ours(Name name, int type) {
    Validator v = new Validator(ValidatorSettings.defaults(), anchors, () -> NegativeTrustAnchors.of(List.of()),
        new KeyCache(100, CLOCK), (n, t) -> Future.succeededFuture(ask(n, t, true)), CLOCK, CLOCK);
    Verdict verdict = v.validate(name, type, ask(name, type, true)).toCompletionStage().toCompletableFuture().join().verdict();
    return switch (verdict.status()) {
      case SECURE -> Outcome.SECURE;
      case BOGUS -> Outcome.BOGUS;
      default -> Outcome.NEITHER;
    };
  }

  private static Outcome oracle(Name name, int type) throws Exception {
    Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    q.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    Message r = oracle.sendAsync(q).toCompletableFuture().get();
    if (r.getHeader().getFlag(Flags.AD)) {
      return Outcome.SECURE;
    }
    return r.getRcode() == Rcode.SERVFAIL ? Outcome.BOGUS : Outcome.NEITHER;
  }

  private static Message ask(Name name, int type, boolean cd) {
    Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    if (cd) {
      q.getHeader().setFlag(Flags.CD);
    }
    q.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    return answerer.respond(q);
  }

  /** A dnsjava Resolver answering from the fixture, so the oracle needs no sockets either. */
  private static final class InProcessResolver implements Resolver {
    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
      return CompletableFuture.completedFuture(answerer.respond(query));
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query) {
      return sendAsync(query, Runnable::run);
    }

    @Override public void setPort(int port) {}
    @Override public void setTCP(boolean flag) {}
    @Override public void setIgnoreTruncation(boolean flag) {}
    @Override public void setEDNS(int version, int payloadSize, int flags, List<org.xbill.DNS.EDNSOption> options) {}
    @Override public void setTSIGKey(TSIG key) {}
    @Override public void setTimeout(Duration timeout) {}
  }
}
