package io.dnssecproxy.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dnssecproxy.validation.Ede;
import io.dnssecproxy.validation.Validation;
import io.dnssecproxy.validation.Verdict;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class TtlPolicyTest {

  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final Name WWW = Name.fromConstantString("www.example.");
  private static final Name ZONE = Name.fromConstantString("example.");

  private final TtlPolicy policy = new TtlPolicy(Duration.ofSeconds(86_400), Duration.ofSeconds(3_600), Duration.ofSeconds(60));

  private static Record a(long ttl, String ip) throws Exception {
    return new ARecord(WWW, DClass.IN, ttl, InetAddress.getByName(ip));
  }

  private static Record soa(long ttl, long minimum) {
    return new SOARecord(ZONE, DClass.IN, ttl, Name.fromConstantString("ns.example."),
        Name.fromConstantString("hostmaster.example."), 1, 7200, 3600, 1_209_600, minimum);
  }

  private static Message response(int rcode, Record[] answer, Record[] authority) {
    Message m = Message.newQuery(Record.newRecord(WWW, Type.A, DClass.IN));
    m.getHeader().setRcode(rcode);
    for (Record r : answer) {
      m.addRecord(r, Section.ANSWER);
    }
    for (Record r : authority) {
      m.addRecord(r, Section.AUTHORITY);
    }
    return m;
  }

  private long ttl(Verdict v, Message m, Instant sigExpiry) {
    return policy.ttlFor(new Validation(v, m, sigExpiry), NOW);
  }

  @Test
  void positiveAnswerLivesAsLongAsItsShortestRecord() throws Exception {
    Message m = response(Rcode.NOERROR, new Record[] {a(300, "192.0.2.1"), a(120, "192.0.2.2")},
        new Record[] {new NSRecord(ZONE, DClass.IN, 600, Name.fromConstantString("ns.example."))});
    assertEquals(120, ttl(Verdict.secure(), m, null));
  }

  @Test
  void authoritySectionTtlsCountToo() throws Exception {
    Message m = response(Rcode.NOERROR, new Record[] {a(300, "192.0.2.1")},
        new Record[] {new NSRecord(ZONE, DClass.IN, 30, Name.fromConstantString("ns.example."))});
    assertEquals(30, ttl(Verdict.secure(), m, null));
  }

  @Test
  void positiveAnswerIsCappedByMaxTtl() throws Exception {
    TtlPolicy capped = new TtlPolicy(Duration.ofSeconds(100), Duration.ofSeconds(3_600), Duration.ofSeconds(60));
    Message m = response(Rcode.NOERROR, new Record[] {a(604_800, "192.0.2.1")}, new Record[0]);
    assertEquals(100, capped.ttlFor(new Validation(Verdict.secure(), m, null), NOW));
  }

  @Test
  void answerIsNotCachedPastItsEarliestSignatureExpiry() throws Exception {
    Message m = response(Rcode.NOERROR, new Record[] {a(3600, "192.0.2.1")}, new Record[0]);
    assertEquals(50, ttl(Verdict.secure(), m, NOW.plusSeconds(50)));
  }

  @Test
  void signatureExpiryIsJudgedAtTheValidationTimeGiven() throws Exception {
    Message m = response(Rcode.NOERROR, new Record[] {a(3600, "192.0.2.1")}, new Record[0]);
    Instant expiry = NOW.plusSeconds(500);
    assertEquals(200, policy.ttlFor(new Validation(Verdict.secure(), m, expiry), NOW.plusSeconds(300)));
  }

  @Test
  void alreadyExpiredSignaturesMeanNoCaching() throws Exception {
    Message m = response(Rcode.NOERROR, new Record[] {a(3600, "192.0.2.1")}, new Record[0]);
    assertEquals(0, ttl(Verdict.secure(), m, NOW.minusSeconds(10)));
  }

  @Test
  void insecureAnswersFollowTheRecordTtls() throws Exception {
    Message m = response(Rcode.NOERROR, new Record[] {a(42, "192.0.2.1")}, new Record[0]);
    assertEquals(42, ttl(Verdict.insecure("unsigned"), m, null));
  }

  @Test
  void nxdomainLivesForTheSoaMinimumWhenItIsSmaller() {
    Message m = response(Rcode.NXDOMAIN, new Record[0], new Record[] {soa(900, 300)});
    assertEquals(300, ttl(Verdict.secure(), m, null));
  }

  @Test
  void nxdomainLivesForTheSoaTtlWhenItIsSmaller() {
    Message m = response(Rcode.NXDOMAIN, new Record[0], new Record[] {soa(200, 300)});
    assertEquals(200, ttl(Verdict.secure(), m, null));
  }

  @Test
  void nodataUsesTheSoaToo() {
    Message m = response(Rcode.NOERROR, new Record[0], new Record[] {soa(900, 250)});
    assertEquals(250, ttl(Verdict.secure(), m, null));
  }

  @Test
  void negativeAnswerIsCappedByNegativeMaxTtl() {
    TtlPolicy capped = new TtlPolicy(Duration.ofSeconds(86_400), Duration.ofSeconds(100), Duration.ofSeconds(60));
    Message m = response(Rcode.NXDOMAIN, new Record[0], new Record[] {soa(86_400, 86_400)});
    assertEquals(100, capped.ttlFor(new Validation(Verdict.secure(), m, null), NOW));
  }

  @Test
  void negativeAnswerIsBoundBySignatureExpiry() {
    Message m = response(Rcode.NXDOMAIN, new Record[0], new Record[] {soa(900, 900)});
    assertEquals(20, ttl(Verdict.secure(), m, NOW.plusSeconds(20)));
  }

  @Test
  void negativeAnswerWithoutSoaIsNotCached() {
    assertEquals(0, ttl(Verdict.secure(), response(Rcode.NXDOMAIN, new Record[0], new Record[0]), null));
    assertEquals(0, ttl(Verdict.insecure("unsigned"), response(Rcode.NOERROR, new Record[0], new Record[0]), null));
  }

  @Test
  void bogusAnswerLivesForTheBogusTtlWhateverItsRecordsSay() throws Exception {
    Message m = response(Rcode.NOERROR, new Record[] {a(5, "192.0.2.1")}, new Record[0]);
    assertEquals(60, ttl(Verdict.bogus(Ede.SIGNATURE_EXPIRED, "expired"), m, NOW.plusSeconds(1)));
    Message nx = response(Rcode.NXDOMAIN, new Record[0], new Record[0]);
    assertEquals(60, ttl(Verdict.bogus(Ede.NSEC_MISSING, "no proof"), nx, null));
  }

  @Test
  void serverFailureIsNotCached() throws Exception {
    assertEquals(0, ttl(Verdict.insecure("unsigned"), response(Rcode.SERVFAIL, new Record[0], new Record[0]), null));
    assertEquals(0, ttl(Verdict.insecure("unsigned"), response(Rcode.SERVFAIL, new Record[] {a(300, "192.0.2.1")}, new Record[0]), null));
    assertEquals(0, ttl(Verdict.insecure("unsigned"), response(Rcode.REFUSED, new Record[0], new Record[] {soa(900, 900)}), null));
  }

  @Test
  void zeroTtlRecordMeansNoCaching() throws Exception {
    Message m = response(Rcode.NOERROR, new Record[] {a(0, "192.0.2.1")}, new Record[0]);
    assertEquals(0, ttl(Verdict.secure(), m, null));
  }
}
