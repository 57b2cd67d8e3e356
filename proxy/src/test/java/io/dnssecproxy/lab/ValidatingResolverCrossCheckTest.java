package io.dnssecproxy.lab;

import static io.dnssecproxy.lab.LabWorld.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * An independent validator (dnsjava's ValidatingResolver, with its clock fixed at NOW) run
 * against the fake upstream: it must find the good names secure and the bogus ones bogus.
 */
class ValidatingResolverCrossCheckTest {

  private static Vertx vertx;
  private static LabUpstream upstream;
  private static ValidatingResolver validator;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = LabUpstream.forHierarchy(vertx);
    upstream.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    SimpleResolver head = new SimpleResolver(upstream.address());
    head.setTimeout(Duration.ofSeconds(2));
    validator = new ValidatingResolver(head, CLOCK);
    validator.loadTrustAnchors(new ByteArrayInputStream(
        LabWorld.get().trustAnchorText().getBytes(StandardCharsets.US_ASCII)));
    validator.setTimeout(Duration.ofSeconds(5));
    validator.setAddReasonToAdditional(true);
  }

  @AfterAll
  static void stop() throws Exception {
    upstream.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Message ask(Name name, int type) throws Exception {
    Message query = Message.newQuery(org.xbill.DNS.Record.newRecord(name, type, DClass.IN));
    return validator.send(query);
  }

  private static void assertSecure(Name name, int type, int rcode) throws Exception {
    Message response = ask(name, type);
    assertEquals(Rcode.string(rcode), Rcode.string(response.getRcode()),
        () -> name + " " + Type.string(type) + "\n" + response);
    assertTrue(response.getHeader().getFlag(Flags.AD),
        () -> name + " " + Type.string(type) + " should be secure\n" + response);
  }

  /** Bogus, and for the intended reason: dnsjava's explanation must contain the given text. */
  private static void assertBogus(Name name, int type, String reasonPart) throws Exception {
    Message response = ask(name, type);
    assertEquals("SERVFAIL", Rcode.string(response.getRcode()),
        () -> name + " " + Type.string(type) + " should be bogus\n" + response);
    assertFalse(response.getHeader().getFlag(Flags.AD));
    String reason = reason(response);
    assertTrue(reason.contains(reasonPart), () -> name + ": unexpected reason " + reason);
  }

  /** The validation reason dnsjava puts in a TXT record of its private class. */
  private static String reason(Message response) {
    StringBuilder reason = new StringBuilder();
    for (org.xbill.DNS.Record r : response.getSection(Section.ADDITIONAL)) {
      if (r instanceof TXTRecord txt
          && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
        txt.getStrings().forEach(reason::append);
      }
    }
    return reason.toString();
  }

  @Test
  void secureAnswersValidate() throws Exception {
    assertSecure(SECURE_WWW, Type.A, Rcode.NOERROR);
    assertSecure(SECURE_WWW, Type.AAAA, Rcode.NOERROR);
    assertSecure(SECURE_WWW, Type.MX, Rcode.NOERROR);
    assertSecure(NSEC3_WWW, Type.A, Rcode.NOERROR);
    assertSecure(ED_WWW, Type.A, Rcode.NOERROR);
    assertSecure(OPTOUT_WWW, Type.A, Rcode.NOERROR);
    assertSecure(SECURE, Type.DS, Rcode.NOERROR);
    assertSecure(HIGHITER_WWW, Type.A, Rcode.NOERROR);
  }

  @Test
  void secureDenialsValidate() throws Exception {
    assertSecure(SECURE_NX, Type.A, Rcode.NXDOMAIN);
    assertSecure(NSEC3_NX, Type.A, Rcode.NXDOMAIN);
    assertSecure(SECURE_WWW, Type.SRV, Rcode.NOERROR);
    assertSecure(SECURE_ENT, Type.A, Rcode.NOERROR);
    assertSecure(NSEC3_ENT, Type.A, Rcode.NOERROR);
    assertSecure(NSEC3_WWW, Type.TXT, Rcode.NOERROR);
  }

  @Test
  void wildcardsAndAliasesValidate() throws Exception {
    assertSecure(SECURE_WILDCARD_HOST, Type.A, Rcode.NOERROR);
    assertSecure(NSEC3_WILDCARD_HOST, Type.A, Rcode.NOERROR);
    assertSecure(SECURE_ALIAS, Type.A, Rcode.NOERROR);
    assertSecure(SECURE_DNAME_WWW, Type.A, Rcode.NOERROR);
    assertSecure(SECURE_ALIAS_NX, Type.A, Rcode.NXDOMAIN);
  }

  @Test
  void insecureNamesResolveWithoutAd() throws Exception {
    for (Name name : new Name[] {INSECURE_WWW, OPTOUT_UNSIGNED_WWW}) {
      Message response = ask(name, Type.A);
      assertEquals(Rcode.NOERROR, response.getRcode(), () -> name + "\n" + response);
      assertFalse(response.getHeader().getFlag(Flags.AD), () -> name + "\n" + response);
      assertEquals(1, response.getSection(Section.ANSWER).size(), () -> name + "\n" + response);
    }
  }

  @Test
  void secureCnameIntoInsecureZoneIsInsecure() throws Exception {
    Message response = ask(SECURE_ALIAS_INSECURE, Type.A);
    assertEquals(Rcode.NOERROR, response.getRcode(), response::toString);
    assertFalse(response.getHeader().getFlag(Flags.AD), response::toString);
    assertTrue(response.getSection(Section.ANSWER).stream()
        .anyMatch(r -> r.getType() == Type.A && r.getName().equals(INSECURE_WWW)));
  }

  @Test
  void bogusNamesFail() throws Exception {
    // The answer RRset itself fails (the keys validated fine).
    assertBogus(EXPIRED_WWW, Type.A, "failed ANSWER rrset: { www.expired.test.");
    assertBogus(NOTYET_WWW, Type.A, "failed ANSWER rrset: { www.notyet.test.");
    assertBogus(BADSIG_WWW, Type.A, "failed ANSWER rrset: { www.badsig.test.");
    assertBogus(NOSIG_WWW, Type.A, "missing signature");
    // The chain of trust breaks between parent DS and child DNSKEY.
    assertBogus(NODS_WWW, Type.A, "Did not match a DS to a DNSKEY");
    assertBogus(BADKSK_WWW, Type.A, "Keyset not secured by DNSKEY that matches DS");
    assertBogus(FORGED_NX, Type.A, "failed to prove that nx.forged.test. does not exist");
  }

  @Test
  void denialsThatProveNothingAreInsecureNotBogus() throws Exception {
    // 200 NSEC3 iterations exceed dnsjava's limit: the NXDOMAIN is accepted as insecure.
    Message highIter = ask(HIGHITER_NX, Type.A);
    assertEquals(Rcode.NXDOMAIN, highIter.getRcode(), highIter::toString);
    assertFalse(highIter.getHeader().getFlag(Flags.AD), highIter::toString);
    assertTrue(reason(highIter).contains("iteration"), highIter::toString);
    // An NXDOMAIN covered by an opt-out span cannot be proven secure.
    Message optOut = ask(OPTOUT_NX, Type.A);
    assertEquals(Rcode.NXDOMAIN, optOut.getRcode(), optOut::toString);
    assertFalse(optOut.getHeader().getFlag(Flags.AD), optOut::toString);
    assertTrue(reason(optOut).contains("opt-out"), optOut::toString);
  }

  @Test
  void bogusZonesAreOtherwiseSigned() throws Exception {
    // Only the mutated RRset is broken: the rest of those zones still validates.
    assertSecure(EXPIRED, Type.SOA, Rcode.NOERROR);
    assertSecure(BADSIG, Type.SOA, Rcode.NOERROR);
    assertSecure(FORGED_WWW, Type.A, Rcode.NOERROR);
  }
}
