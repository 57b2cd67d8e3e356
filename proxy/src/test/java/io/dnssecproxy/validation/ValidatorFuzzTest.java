package io.dnssecproxy.validation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dnssecproxy.lab.RecursiveAnswerer;
import io.dnssecproxy.lab.LabWorld;
import io.vertx.core.Future;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * The validator fed arbitrary upstream responses for one fixed question (www.secure.test. A of
 * the signed test hierarchy), in-process. The input is a sequence of {@code [length: 2][message]}
 * chunks: the first is the response to validate, the next ones answer the validator's DNSKEY/DS
 * fetches in order (a chunk that does not parse is a failed fetch); once they run out, fetches
 * get the genuine answers, so the fuzzer can reach deep into the chain walk and the proofs.
 *
 * <p>For every input: validation completes at once and in bounded time, no unexpected exception
 * is hidden behind a bogus verdict, and a SECURE verdict vouches only for data that really is
 * in the signed zones (the fuzzer cannot sign, so anything else would be a validator hole).
 *
 * <p>Fuzzing: {@code JAZZER_FUZZ=1 mvn test -pl proxy -Dtest='ValidatorFuzzTest'}.
 */
class ValidatorFuzzTest {

  static final Name QNAME = LabWorld.SECURE_WWW;
  static final int QTYPE = Type.A;
  private static final Duration PER_INPUT = Duration.ofSeconds(3);
  private static final RecursiveAnswerer GENUINE;
  private static final TrustAnchors ANCHORS;
  private static final Set<String> SIGNED_DATA = new HashSet<>();

  static {
    CryptoProviders.installBouncyCastle();
    LabWorld h = LabWorld.get();
    GENUINE = new RecursiveAnswerer(h.zones());
    try {
      ANCHORS = TrustAnchors.parse(h.trustAnchorText(), "test anchors");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    h.zones().forEach(z -> z.rrsets().forEach(s -> s.rrs(false).forEach(r -> SIGNED_DATA.add(key(r.getName(), r)))));
  }

  @FuzzTest(maxDuration = "3m")
  void arbitraryUpstreamAnswersNeverYieldUnprovenSecureData(byte[] input) {
    List<byte[]> chunks = chunks(input);
    if (chunks.isEmpty()) {
      return;
    }
    Message response = parse(chunks.get(0));
    if (response == null) {
      return; // the upstream client drops what does not parse
    }
    int[] next = {1};
    KeySource source = (name, type) -> {
      if (next[0] < chunks.size()) {
        Message m = parse(chunks.get(next[0]++));
        return m == null ? Future.failedFuture(new IOException("unparseable")) : Future.succeededFuture(m);
      }
      return Future.succeededFuture(GENUINE.respond(query(name, type)));
    };
    Validator validator = new Validator(ValidatorSettings.defaults(), ANCHORS, () -> NegativeTrustAnchors.of(List.of()),
        new KeyCache(100, LabWorld.CLOCK), source, LabWorld.CLOCK, Clock.systemUTC());
    long started = System.nanoTime();
    Future<Validation> f = validator.validate(QNAME, QTYPE, response);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertTrue(f.isComplete(), "validation left pending with a synchronous key source");
    assertTrue(f.succeeded(), () -> "validation failed: " + f.cause());
    assertTrue(took.compareTo(PER_INPUT) < 0, () -> "took " + took.toMillis() + " ms");
    Validation v = f.result();
    String reasons = v.verdict().reasonText();
    assertFalse(reasons.contains("validation failed: java.lang."), () -> "an exception was turned into bogus: " + reasons);
    if (v.verdict().isSecure()) {
      for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
        for (Record r : v.response().getSection(section)) {
          if (r.getType() != Type.RRSIG) {
            assertTrue(isSigned(r), () -> "SECURE with data not in the signed zones: " + r + "\n" + v.response());
          }
        }
      }
    }
  }

  /** In a zone as it is, or expanded from a wildcard owner above it (TTL and case do not matter). */
  private static boolean isSigned(Record r) {
    if (SIGNED_DATA.contains(key(r.getName(), r))) {
      return true;
    }
    for (Name n = r.getName(); n.labels() > 1; n = new Name(n, 1)) {
      try {
        if (SIGNED_DATA.contains(key(Name.concatenate(Name.fromConstantString("*"), new Name(n, 1)), r))) {
          return true;
        }
      } catch (org.xbill.DNS.NameTooLongException e) {
        return false;
      }
    }
    return false;
  }

  private static String key(Name owner, Record r) {
    return owner.canonicalize() + "/" + r.getType() + "/" + r.getDClass() + "/"
        + java.util.HexFormat.of().formatHex(r.rdataToWireCanonical());
  }

  static List<byte[]> chunks(byte[] input) {
    List<byte[]> out = new ArrayList<>();
    int at = 0;
    while (at + 2 <= input.length && out.size() < 16) {
      int length = Math.min(((input[at] & 0xFF) << 8) | (input[at + 1] & 0xFF), input.length - at - 2);
      out.add(java.util.Arrays.copyOfRange(input, at + 2, at + 2 + length));
      at += 2 + length;
    }
    return out;
  }

  /** As the upstream client would: null for what does not parse or carries empty RDATA. */
  private static Message parse(byte[] wire) {
    try {
      Message m = new Message(wire);
      return io.dnssecproxy.upstream.BrokenRdata.present(m) ? null : m;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static Message query(Name name, int type) {
    Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    q.getHeader().setFlag(Flags.CD);
    q.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    return q;
  }

  static Message genuine(Name name, int type) {
    return GENUINE.respond(query(name, type));
  }

}
