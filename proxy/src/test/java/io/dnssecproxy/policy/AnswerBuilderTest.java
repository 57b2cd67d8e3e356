package io.dnssecproxy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.validation.Ede;
import io.dnssecproxy.validation.Verdict;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class AnswerBuilderTest {

  private static final Name WWW = Name.fromConstantString("www.example.");
  private static final Name ZONE = Name.fromConstantString("example.");
  private static final Instant T = Instant.parse("2026-06-01T00:00:00Z");

  private final AnswerBuilder builder = new AnswerBuilder();

  /** A client query; {@code edns} null for none, else the EDNS flags to send (0 or DO). */
  private static Message query(int type, Integer edns, boolean rd, boolean cd, boolean ad) {
    Message q = new Message(0x4242);
    q.addRecord(Record.newRecord(WWW, type, DClass.IN), Section.QUESTION);
    if (rd) {
      q.getHeader().setFlag(Flags.RD);
    }
    if (cd) {
      q.getHeader().setFlag(Flags.CD);
    }
    if (ad) {
      q.getHeader().setFlag(Flags.AD);
    }
    if (edns != null) {
      q.addRecord(new OPTRecord(4096, 0, 0, edns), Section.ADDITIONAL);
    }
    return q;
  }

  private static Message doQuery() {
    return query(Type.A, ExtendedFlags.DO, true, false, false);
  }

  private static Message plainEdnsQuery() {
    return query(Type.A, 0, true, false, false);
  }

  private static Message noEdnsQuery() {
    return query(Type.A, null, true, false, false);
  }

  private static RRSIGRecord rrsig(Name owner, int covered, long ttl) {
    return new RRSIGRecord(owner, DClass.IN, ttl, covered, DNSSEC.Algorithm.ECDSAP256SHA256, ttl,
        T.plusSeconds(86_400), T.minusSeconds(3600), 12345, ZONE, new byte[64]);
  }

  /** Upstream data: A + RRSIG in the answer, SOA + NSEC + RRSIG in authority, its own OPT. */
  private static Message data(int rcode, long ttl) throws IOException {
    Message m = new Message(7);
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setRcode(rcode);
    m.addRecord(Record.newRecord(WWW, Type.A, DClass.IN), Section.QUESTION);
    m.addRecord(new ARecord(WWW, DClass.IN, ttl, InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1})), Section.ANSWER);
    m.addRecord(rrsig(WWW, Type.A, ttl), Section.ANSWER);
    m.addRecord(new SOARecord(ZONE, DClass.IN, ttl, Name.fromConstantString("ns.example."),
        Name.fromConstantString("hostmaster.example."), 1, 7200, 3600, 1_209_600, 300), Section.AUTHORITY);
    m.addRecord(new NSECRecord(ZONE, DClass.IN, ttl, Name.fromConstantString("a.example."), new int[] {Type.SOA, Type.NS}), Section.AUTHORITY);
    m.addRecord(rrsig(ZONE, Type.NSEC, ttl), Section.AUTHORITY);
    m.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    return m;
  }

  private static Message data() throws IOException {
    return data(Rcode.NOERROR, 300);
  }

  /** Every response must survive the wire; tests look at what a client would decode. */
  private static Message wire(AnswerBuilder.Built b) throws IOException {
    return new Message(b.message().toWire());
  }

  private static List<ExtendedErrorCodeOption> ede(Message m) {
    List<ExtendedErrorCodeOption> out = new ArrayList<>();
    OPTRecord opt = m.getOPT();
    if (opt != null) {
      for (EDNSOption o : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
        out.add((ExtendedErrorCodeOption) o);
      }
    }
    return out;
  }

  private static boolean has(Message m, int section, int type) {
    return m.getSection(section).stream().anyMatch(r -> r.getType() == type);
  }

  private static final Verdict BOGUS = Verdict.bogus(Ede.SIGNATURE_EXPIRED, "RRSIG expired").within("www.example. A");

  // --- bogus ---

  @Test
  void enforceTurnsBogusIntoServfailWithTheEde() throws IOException {
    AnswerBuilder.Built b = builder.build(doQuery(), data(), BOGUS, Mode.ENFORCE, 0, 300, false);
    assertEquals(Action.BLOCKED, b.action());
    Message m = wire(b);
    assertEquals(Rcode.SERVFAIL, m.getRcode());
    assertTrue(m.getSection(Section.ANSWER).isEmpty());
    assertTrue(m.getSection(Section.AUTHORITY).isEmpty());
    List<ExtendedErrorCodeOption> ede = ede(m);
    assertEquals(1, ede.size());
    assertEquals(Ede.SIGNATURE_EXPIRED, ede.get(0).getErrorCode());
    assertEquals("www.example. A: RRSIG expired", ede.get(0).getText());
    assertFalse(m.getHeader().getFlag(Flags.AD));
  }

  @Test
  void enforceUsesDnssecBogusWhenTheVerdictHasNoCode() throws IOException {
    Verdict v = new Verdict(io.dnssecproxy.validation.SecurityStatus.BOGUS, Ede.NONE, List.of("bad"));
    Message m = wire(builder.build(doQuery(), data(), v, Mode.ENFORCE, 0, 300, false));
    assertEquals(Ede.DNSSEC_BOGUS, ede(m).get(0).getErrorCode());
  }

  @Test
  void enforceServfailCarriesNoOptForAClientWithoutEdns() throws IOException {
    AnswerBuilder.Built b = builder.build(noEdnsQuery(), data(), BOGUS, Mode.ENFORCE, 0, 300, false);
    Message m = wire(b);
    assertEquals(Rcode.SERVFAIL, m.getRcode());
    assertNull(m.getOPT());
    assertEquals(Action.BLOCKED, b.action());
  }

  @Test
  void permissivePassesBogusDataWithoutAdButWithTheEde() throws IOException {
    AnswerBuilder.Built b = builder.build(doQuery(), data(), BOGUS, Mode.PERMISSIVE, 0, 300, false);
    assertEquals(Action.PASSED, b.action());
    Message m = wire(b);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertTrue(has(m, Section.ANSWER, Type.A));
    assertFalse(m.getHeader().getFlag(Flags.AD));
    List<ExtendedErrorCodeOption> ede = ede(m);
    assertEquals(1, ede.size());
    assertEquals(Ede.SIGNATURE_EXPIRED, ede.get(0).getErrorCode());
  }

  @Test
  void permissiveMarksBogusWithoutACodeAsDnssecBogus() throws IOException {
    Verdict v = new Verdict(io.dnssecproxy.validation.SecurityStatus.BOGUS, Ede.NONE, List.of("bad"));
    Message m = wire(builder.build(doQuery(), data(), v, Mode.PERMISSIVE, 0, 300, false));
    assertEquals(1, ede(m).size());
    assertEquals(Ede.DNSSEC_BOGUS, ede(m).get(0).getErrorCode());
  }

  @Test
  void checkingDisabledClientGetsBogusDataEvenInEnforceMode() throws IOException {
    Message q = query(Type.A, ExtendedFlags.DO, true, true, false);
    AnswerBuilder.Built b = builder.build(q, data(), BOGUS, Mode.ENFORCE, 0, 300, false);
    Message m = wire(b);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertTrue(has(m, Section.ANSWER, Type.A));
    assertTrue(m.getHeader().getFlag(Flags.CD));
    assertFalse(m.getHeader().getFlag(Flags.AD));
  }

  // --- AD ---

  @Test
  void secureAnswerGetsAdWhenTheClientSetDo() throws IOException {
    AnswerBuilder.Built b = builder.build(doQuery(), data(), Verdict.secure(), Mode.ENFORCE, 0, 300, false);
    assertEquals(Action.ANSWERED, b.action());
    assertTrue(wire(b).getHeader().getFlag(Flags.AD));
  }

  @Test
  void secureAnswerGetsAdWhenTheClientSetAdWithoutEdns() throws IOException {
    Message q = query(Type.A, null, true, false, true);
    assertTrue(wire(builder.build(q, data(), Verdict.secure(), Mode.ENFORCE, 0, 300, false)).getHeader().getFlag(Flags.AD));
  }

  @Test
  void secureAnswerHasNoAdForAClientThatAskedForNeither() throws IOException {
    assertFalse(wire(builder.build(plainEdnsQuery(), data(), Verdict.secure(), Mode.ENFORCE, 0, 300, false)).getHeader().getFlag(Flags.AD));
    assertFalse(wire(builder.build(noEdnsQuery(), data(), Verdict.secure(), Mode.ENFORCE, 0, 300, false)).getHeader().getFlag(Flags.AD));
  }

  @Test
  void insecureAnswerNeverHasAd() throws IOException {
    AnswerBuilder.Built b = builder.build(doQuery(), data(), Verdict.insecure("unsigned delegation"), Mode.ENFORCE, 0, 300, false);
    assertEquals(Action.ANSWERED, b.action());
    Message m = wire(b);
    assertFalse(m.getHeader().getFlag(Flags.AD));
    assertTrue(ede(m).isEmpty());
  }

  @Test
  void insecureAnswerWithACodeCarriesTheEde() throws IOException {
    Verdict v = Verdict.insecure(Ede.UNSUPPORTED_NSEC3_ITERATIONS, "NSEC3 with 500 iterations");
    Message m = wire(builder.build(doQuery(), data(), v, Mode.ENFORCE, 0, 300, false));
    assertEquals(Ede.UNSUPPORTED_NSEC3_ITERATIONS, ede(m).get(0).getErrorCode());
    assertFalse(m.getHeader().getFlag(Flags.AD));
  }

  // --- DNSSEC records ---

  @Test
  void nonDoClientGetsNoRrsigNsecOrNsec3() throws IOException {
    Message m = wire(builder.build(plainEdnsQuery(), data(), Verdict.secure(), Mode.ENFORCE, 0, 300, false));
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      assertFalse(has(m, section, Type.RRSIG), "RRSIG in section " + section);
      assertFalse(has(m, section, Type.NSEC), "NSEC in section " + section);
    }
    assertTrue(has(m, Section.ANSWER, Type.A));
    assertTrue(has(m, Section.AUTHORITY, Type.SOA));
  }

  @Test
  void doClientKeepsTheDnssecRecords() throws IOException {
    Message m = wire(builder.build(doQuery(), data(), Verdict.secure(), Mode.ENFORCE, 0, 300, false));
    assertTrue(has(m, Section.ANSWER, Type.RRSIG));
    assertTrue(has(m, Section.AUTHORITY, Type.NSEC));
    assertTrue(has(m, Section.AUTHORITY, Type.RRSIG));
  }

  @Test
  void nonDoQueryForRrsigKeepsRrsigsButNotNsec() throws IOException {
    Message q = query(Type.RRSIG, 0, true, false, false);
    Message m = wire(builder.build(q, data(), Verdict.insecure("unsigned"), Mode.ENFORCE, 0, 300, false));
    assertTrue(has(m, Section.ANSWER, Type.RRSIG));
    assertFalse(has(m, Section.AUTHORITY, Type.NSEC));
  }

  @Test
  void upstreamOptIsReplacedByOurOwn() throws IOException {
    Message m = wire(builder.build(plainEdnsQuery(), data(), Verdict.secure(), Mode.ENFORCE, 0, 300, false));
    assertEquals(1, m.getSection(Section.ADDITIONAL).stream().filter(r -> r.getType() == Type.OPT).count());
    OPTRecord opt = m.getOPT();
    assertEquals(AnswerBuilder.PAYLOAD_SIZE, opt.getPayloadSize());
    assertEquals(0, opt.getFlags() & ExtendedFlags.DO);
  }

  @Test
  void doBitIsMirrored() throws IOException {
    Message m = wire(builder.build(doQuery(), data(), Verdict.secure(), Mode.ENFORCE, 0, 300, false));
    assertTrue((m.getOPT().getFlags() & ExtendedFlags.DO) != 0);
  }

  @Test
  void noOptForAClientWithoutEdns() throws IOException {
    assertNull(wire(builder.build(noEdnsQuery(), data(), Verdict.secure(), Mode.ENFORCE, 0, 300, false)).getOPT());
  }

  // --- TTLs ---

  @Test
  void ttlsAreLoweredByAge() throws IOException {
    Message m = wire(builder.build(doQuery(), data(Rcode.NOERROR, 300), Verdict.secure(), Mode.ENFORCE, 100, 1000, false));
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
      for (Record r : m.getSection(section)) {
        assertEquals(200, r.getTTL(), r.toString());
      }
    }
  }

  @Test
  void ttlsAreCappedByTheEntryLifetime() throws IOException {
    Message m = wire(builder.build(doQuery(), data(Rcode.NOERROR, 300), Verdict.secure(), Mode.ENFORCE, 10, 50, false));
    assertEquals(50, m.getSection(Section.ANSWER).get(0).getTTL());
  }

  @Test
  void ttlsNeverGoNegative() throws IOException {
    Message m = wire(builder.build(doQuery(), data(Rcode.NOERROR, 300), Verdict.secure(), Mode.ENFORCE, 400, 1000, false));
    assertEquals(0, m.getSection(Section.ANSWER).get(0).getTTL());
  }

  @Test
  void dataIsNotModified() throws IOException {
    Message d = data(Rcode.NOERROR, 300);
    builder.build(doQuery(), d, Verdict.secure(), Mode.ENFORCE, 100, 1000, false);
    assertEquals(300, d.getSection(Section.ANSWER).get(0).getTTL());
  }

  // --- stale ---

  @Test
  void staleAnswerCarriesEde3AndActionStale() throws IOException {
    AnswerBuilder.Built b = builder.build(doQuery(), data(Rcode.NOERROR, 300), Verdict.secure(), Mode.ENFORCE, 400, 30, true);
    assertEquals(Action.STALE, b.action());
    Message m = wire(b);
    List<ExtendedErrorCodeOption> ede = ede(m);
    assertEquals(1, ede.size());
    assertEquals(Ede.STALE_ANSWER, ede.get(0).getErrorCode());
    assertTrue(has(m, Section.ANSWER, Type.A));
  }

  @Test
  void staleAnswerRecordsGetTheStaleTtlNotZero() throws IOException {
    // RFC 8767 section 4: stale records are served with a small positive TTL (stale-answer-ttl),
    // not the 0 their expired lifetime would count down to.
    Message m = wire(builder.build(doQuery(), data(Rcode.NOERROR, 300), Verdict.secure(), Mode.ENFORCE, 400, 30, true));
    for (Record r : m.getSection(Section.ANSWER)) {
      assertEquals(30, r.getTTL(), r.toString());
    }
  }

  @Test
  void staleAnswerKeepsARecordTtlBelowTheStaleTtl() throws IOException {
    Message m = wire(builder.build(doQuery(), data(Rcode.NOERROR, 10), Verdict.secure(), Mode.ENFORCE, 400, 30, true));
    assertEquals(10, m.getSection(Section.ANSWER).get(0).getTTL());
  }

  @Test
  void staleInsecureAnswerWithACodeCarriesBothEdes() throws IOException {
    Verdict v = Verdict.insecure(Ede.UNSUPPORTED_DNSKEY_ALGORITHM, "algorithm 3 not enabled");
    Message m = wire(builder.build(doQuery(), data(), v, Mode.ENFORCE, 400, 30, true));
    assertEquals(List.of(Ede.STALE_ANSWER, Ede.UNSUPPORTED_DNSKEY_ALGORITHM),
        ede(m).stream().map(ExtendedErrorCodeOption::getErrorCode).toList());
  }

  // --- header ---

  @Test
  void idRdCdAndQuestionAreEchoed() throws IOException {
    Message q = query(Type.A, ExtendedFlags.DO, true, true, false);
    Message m = wire(builder.build(q, data(), Verdict.indeterminate("CD"), Mode.ENFORCE, 0, 300, false));
    assertEquals(0x4242, m.getHeader().getID());
    assertTrue(m.getHeader().getFlag(Flags.QR));
    assertTrue(m.getHeader().getFlag(Flags.RA));
    assertTrue(m.getHeader().getFlag(Flags.RD));
    assertTrue(m.getHeader().getFlag(Flags.CD));
    assertFalse(m.getHeader().getFlag(Flags.AA));
    assertEquals(q.getQuestion(), m.getQuestion());
  }

  @Test
  void rdAndCdAreNotInventedWhenTheClientDidNotSetThem() throws IOException {
    Message q = query(Type.A, ExtendedFlags.DO, false, false, false);
    Message m = wire(builder.build(q, data(), Verdict.secure(), Mode.ENFORCE, 0, 300, false));
    assertFalse(m.getHeader().getFlag(Flags.RD));
    assertFalse(m.getHeader().getFlag(Flags.CD));
  }

  @Test
  void servfailEchoesIdAndQuestionToo() throws IOException {
    Message q = query(Type.A, null, true, false, false);
    Message m = wire(builder.build(q, data(), BOGUS, Mode.ENFORCE, 0, 300, false));
    assertEquals(0x4242, m.getHeader().getID());
    assertEquals(q.getQuestion(), m.getQuestion());
    assertTrue(m.getHeader().getFlag(Flags.RD));
  }

  @Test
  void nxdomainRcodePassesThrough() throws IOException {
    Message m = wire(builder.build(doQuery(), data(Rcode.NXDOMAIN, 300), Verdict.secure(), Mode.ENFORCE, 0, 300, false));
    assertEquals(Rcode.NXDOMAIN, m.getRcode());
  }

  @Test
  void longEdeTextIsTruncated() throws IOException {
    Verdict v = Verdict.bogus(Ede.DNSSEC_BOGUS, "x".repeat(500));
    String text = ede(wire(builder.build(doQuery(), data(), v, Mode.ENFORCE, 0, 300, false))).get(0).getText();
    assertEquals(200, text.length());
    assertTrue(text.endsWith("..."));
  }

  @Test
  void servfailHelperCarriesTheGivenCode() throws IOException {
    Message m = new Message(builder.servfail(plainEdnsQuery(), Ede.NETWORK_ERROR, "no upstream answered").toWire());
    assertEquals(Rcode.SERVFAIL, m.getRcode());
    assertNotNull(m.getOPT());
    assertEquals(Ede.NETWORK_ERROR, ede(m).get(0).getErrorCode());
  }
}
