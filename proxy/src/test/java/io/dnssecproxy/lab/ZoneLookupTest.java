package io.dnssecproxy.lab;

import static io.dnssecproxy.lab.DenialAssertions.assertCovers;
import static io.dnssecproxy.lab.DenialAssertions.covers;
import static io.dnssecproxy.lab.DenialAssertions.matches;
import static io.dnssecproxy.lab.SignatureAssertions.assertVerifies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Authoritative answers of small purpose-built zones, NSEC and NSEC3 alike. */
class ZoneLookupTest {

  private static final Instant NOW = LabWorld.NOW;
  private static final Name APEX = name("zone.example.");
  private static final Nsec3Params NSEC3 = new Nsec3Params(3, new byte[] {7, 7}, false);
  private static final Nsec3Params OPT_OUT = new Nsec3Params(0, new byte[0], true);

  private static final LabZone SECURE_CHILD = LabZone.builder("sub.zone.example.")
      .signing(SigningConfig.nsec(DNSSEC.Algorithm.ECDSAP256SHA256, NOW.minusSeconds(3600),
          NOW.plusSeconds(3600)).withKeyIndex(900))
      .a("www", "198.51.100.9")
      .build();
  private static final LabZone INSECURE_CHILD =
      LabZone.builder("ins.zone.example.").a("www", "198.51.100.10").build();

  private static final LabZone NSEC_ZONE = zone(SigningConfig.nsec(
      DNSSEC.Algorithm.ECDSAP256SHA256, NOW.minusSeconds(3600), NOW.plusSeconds(3600)));
  private static final LabZone NSEC3_ZONE = zone(SigningConfig.nsec3(
      DNSSEC.Algorithm.ECDSAP256SHA256, NSEC3, NOW.minusSeconds(3600), NOW.plusSeconds(3600)));
  private static final LabZone OPT_OUT_ZONE = zone(SigningConfig.nsec3(
      DNSSEC.Algorithm.ECDSAP256SHA256, OPT_OUT, NOW.minusSeconds(3600), NOW.plusSeconds(3600)));
  private static final LabZone UNSIGNED_ZONE = zone(SigningConfig.unsigned());

  private static LabZone zone(SigningConfig signing) {
    return LabZone.builder(APEX)
        .signing(signing.signed() ? signing.withKeyIndex(901) : signing)
        .a("www", "198.51.100.1")
        .txt("www", "hello")
        .a("*.wild", "198.51.100.2")
        .cname("*.cwild", "www")
        .a("host.ent", "198.51.100.3")
        .cname("alias", "www")
        .dname("dname", "other.example.")
        .delegate(SECURE_CHILD)
        .delegate(INSECURE_CHILD)
        .build();
  }

  @Test
  void positiveAnswerCarriesItsSignature() {
    for (LabZone zone : signedZones()) {
      ZoneAnswer a = zone.lookup(name("www.zone.example."), Type.A);
      assertEquals(ZoneAnswer.Kind.ANSWER, a.kind());
      assertEquals(Rcode.NOERROR, a.rcode());
      assertEquals(1, a.answer().size());
      assertVerifies(a.answer().get(0), zone.dnskeys(), NOW);
      assertTrue(a.authority().isEmpty());
      assertFalse(a.wildcard());
      Message m = a.toMessage(query("www.zone.example.", Type.A));
      assertTrue(m.getHeader().getFlag(Flags.AA));
      assertEquals(2, m.getSection(Section.ANSWER).size());
    }
  }

  @Test
  void cnameIsAnsweredWithItsTargetToChase() {
    ZoneAnswer a = NSEC_ZONE.lookup(name("alias.zone.example."), Type.A);
    assertEquals(ZoneAnswer.Kind.CNAME, a.kind());
    assertEquals(name("www.zone.example."), a.next());
    assertEquals(Type.CNAME, a.answer().get(0).getType());
    assertVerifies(a.answer().get(0), NSEC_ZONE.dnskeys(), NOW);
    // Asking for the CNAME itself is an ordinary answer.
    assertEquals(ZoneAnswer.Kind.ANSWER,
        NSEC_ZONE.lookup(name("alias.zone.example."), Type.CNAME).kind());
  }

  @Test
  void dnameSynthesizesAnUnsignedCname() {
    ZoneAnswer a = NSEC_ZONE.lookup(name("a.b.dname.zone.example."), Type.A);
    assertEquals(ZoneAnswer.Kind.DNAME, a.kind());
    assertEquals(name("a.b.other.example."), a.next());
    assertEquals(Type.DNAME, a.answer().get(0).getType());
    assertVerifies(a.answer().get(0), NSEC_ZONE.dnskeys(), NOW);
    RRset cname = a.answer().get(1);
    assertEquals(name("a.b.dname.zone.example."), cname.getName());
    assertEquals(name("a.b.other.example."), ((CNAMERecord) cname.first()).getTarget());
    assertTrue(cname.sigs().isEmpty());
  }

  @Test
  void wildcardExpansionKeepsTheWildcardSignatureAndProvesTheNameAbsent() {
    Name qname = name("a.b.wild.zone.example.");
    for (LabZone zone : signedZones()) {
      ZoneAnswer a = zone.lookup(qname, Type.A);
      assertEquals(ZoneAnswer.Kind.ANSWER, a.kind());
      assertTrue(a.wildcard());
      RRset rrset = a.answer().get(0);
      assertEquals(qname, rrset.getName());
      RRSIGRecord sig = rrset.sigs().get(0);
      assertEquals(3, sig.getLabels(), "labels of wild.zone.example.");
      assertTrue(sig.getLabels() < qname.labels() - 1);
      assertVerifies(rrset, zone.dnskeys(), NOW);
      // The next closer name (b.wild...) must be proven absent.
      Name nextCloser = name("b.wild.zone.example.");
      assertEquals(1, a.authority().size());
      assertTrue(proves(zone, a.authority().get(0), r -> coversName(zone, r, qname, nextCloser)));
      a.authority().forEach(r -> assertVerifies(r, zone.dnskeys(), NOW));
    }
  }

  @Test
  void wildcardCnameIsExpandedToo() {
    ZoneAnswer a = NSEC_ZONE.lookup(name("x.cwild.zone.example."), Type.A);
    assertEquals(ZoneAnswer.Kind.CNAME, a.kind());
    assertTrue(a.wildcard());
    assertEquals(name("www.zone.example."), a.next());
    assertEquals(name("x.cwild.zone.example."), a.answer().get(0).getName());
    assertVerifies(a.answer().get(0), NSEC_ZONE.dnskeys(), NOW);
  }

  @Test
  void wildcardNoDataProvesNameAbsentAndWildcardTypeAbsent() {
    Name qname = name("h.wild.zone.example.");
    ZoneAnswer nsec = NSEC_ZONE.lookup(qname, Type.MX);
    assertEquals(ZoneAnswer.Kind.NODATA, nsec.kind());
    // Here *.wild sorts right before h.wild, so one NSEC does both jobs (sent once).
    List<Record> proofs = records(nsec.authority(), Type.NSEC);
    assertEquals(1, proofs.size());
    assertTrue(proofs.stream().anyMatch(r -> covers((NSECRecord) r, qname)));
    NSECRecord atWildcard = (NSECRecord) proofs.stream()
        .filter(r -> r.getName().equals(name("*.wild.zone.example."))).findFirst().orElseThrow();
    assertTrue(atWildcard.hasType(Type.A));
    assertFalse(atWildcard.hasType(Type.MX));

    ZoneAnswer nsec3 = NSEC3_ZONE.lookup(qname, Type.MX);
    List<NSEC3Record> n3 = nsec3Records(nsec3.authority());
    assertEquals(3, n3.size());
    assertTrue(n3.stream().anyMatch(r -> matches(r, name("wild.zone.example."), NSEC3)));
    assertTrue(n3.stream().anyMatch(r -> covers(r, qname, NSEC3)));
    assertTrue(n3.stream().anyMatch(r -> matches(r, name("*.wild.zone.example."), NSEC3)
        && !r.hasType(Type.MX)));
  }

  @Test
  void nxdomainWithNsecCoversTheNameAndTheWildcard() {
    Name qname = name("nope.zone.example.");
    ZoneAnswer a = NSEC_ZONE.lookup(qname, Type.A);
    assertEquals(ZoneAnswer.Kind.NXDOMAIN, a.kind());
    assertEquals(Rcode.NXDOMAIN, a.rcode());
    assertEquals(Type.SOA, a.authority().get(0).getType());
    List<Record> nsecs = records(a.authority(), Type.NSEC);
    assertTrue(nsecs.stream().anyMatch(r -> covers((NSECRecord) r, qname)));
    assertTrue(nsecs.stream().anyMatch(r -> covers((NSECRecord) r, name("*.zone.example."))));
    a.authority().forEach(r -> assertVerifies(r, NSEC_ZONE.dnskeys(), NOW));
    Message m = a.toMessage(query("nope.zone.example.", Type.A));
    assertEquals(Rcode.NXDOMAIN, m.getRcode());
  }

  @Test
  void nxdomainWithNsec3ProvesClosestEncloser() {
    Name qname = name("x.y.ent.zone.example.");
    ZoneAnswer a = NSEC3_ZONE.lookup(qname, Type.A);
    assertEquals(ZoneAnswer.Kind.NXDOMAIN, a.kind());
    List<NSEC3Record> n3 = nsec3Records(a.authority());
    // Closest encloser is the empty non-terminal ent.zone.example.
    assertTrue(n3.stream().anyMatch(r -> matches(r, name("ent.zone.example."), NSEC3)));
    assertTrue(n3.stream().anyMatch(r -> covers(r, name("y.ent.zone.example."), NSEC3)));
    assertTrue(n3.stream().anyMatch(r -> covers(r, name("*.ent.zone.example."), NSEC3)));
    assertTrue(n3.stream().allMatch(r -> r.getIterations() == 3 && r.getFlags() == 0));
    a.authority().forEach(r -> assertVerifies(r, NSEC3_ZONE.dnskeys(), NOW));
  }

  @Test
  void noDataShowsTheTypeIsMissing() {
    Name www = name("www.zone.example.");
    NSECRecord nsec = (NSECRecord) records(NSEC_ZONE.lookup(www, Type.MX).authority(),
        Type.NSEC).get(0);
    assertEquals(www, nsec.getName());
    assertTrue(nsec.hasType(Type.A) && nsec.hasType(Type.TXT) && !nsec.hasType(Type.MX));

    ZoneAnswer a = NSEC3_ZONE.lookup(www, Type.MX);
    assertEquals(ZoneAnswer.Kind.NODATA, a.kind());
    NSEC3Record n3 = nsec3Records(a.authority()).get(0);
    assertTrue(matches(n3, www, NSEC3));
    assertTrue(n3.hasType(Type.A) && n3.hasType(Type.RRSIG) && !n3.hasType(Type.MX));
  }

  @Test
  void emptyNonTerminalIsNoData() {
    Name ent = name("ent.zone.example.");
    ZoneAnswer nsec = NSEC_ZONE.lookup(ent, Type.A);
    assertEquals(ZoneAnswer.Kind.NODATA, nsec.kind());
    assertCovers((NSECRecord) records(nsec.authority(), Type.NSEC).get(0), ent);

    ZoneAnswer nsec3 = NSEC3_ZONE.lookup(ent, Type.A);
    NSEC3Record n3 = nsec3Records(nsec3.authority()).get(0);
    assertTrue(matches(n3, ent, NSEC3));
    assertEquals(0, n3.getTypes().length);
  }

  @Test
  void secureReferralCarriesSignedDsAndGlue() {
    ZoneAnswer a = NSEC_ZONE.lookup(name("www.sub.zone.example."), Type.A);
    assertEquals(ZoneAnswer.Kind.REFERRAL, a.kind());
    assertEquals(name("sub.zone.example."), a.next());
    assertEquals(List.of(Type.NS, Type.DS), types(a.authority()));
    assertTrue(a.authority().get(0).sigs().isEmpty());
    assertVerifies(a.authority().get(1), NSEC_ZONE.dnskeys(), NOW);
    assertEquals(name("ns1.sub.zone.example."), a.additional().get(0).getName());
    assertFalse(a.toMessage(query("www.sub.zone.example.", Type.A)).getHeader()
        .getFlag(Flags.AA));
  }

  @Test
  void insecureReferralProvesThereIsNoDs() {
    Name cut = name("ins.zone.example.");
    ZoneAnswer nsec = NSEC_ZONE.lookup(name("www.ins.zone.example."), Type.A);
    assertEquals(ZoneAnswer.Kind.REFERRAL, nsec.kind());
    NSECRecord proof = (NSECRecord) records(nsec.authority(), Type.NSEC).get(0);
    assertEquals(cut, proof.getName());
    assertTrue(proof.hasType(Type.NS) && !proof.hasType(Type.DS) && !proof.hasType(Type.SOA));

    NSEC3Record n3 = nsec3Records(NSEC3_ZONE.lookup(cut, Type.A).authority()).get(0);
    assertTrue(matches(n3, cut, NSEC3));
    assertTrue(n3.hasType(Type.NS) && !n3.hasType(Type.DS) && !n3.hasType(Type.RRSIG));
  }

  @Test
  void optOutLeavesInsecureDelegationsOutOfTheChain() {
    Name cut = name("ins.zone.example.");
    List<NSEC3Record> chain = nsec3Records(OPT_OUT_ZONE.rrsets());
    assertTrue(chain.stream().noneMatch(r -> matches(r, cut, OPT_OUT)));
    assertTrue(chain.stream().anyMatch(r -> matches(r, name("sub.zone.example."), OPT_OUT)));
    assertTrue(chain.stream().allMatch(r -> (r.getFlags() & NSEC3Record.Flags.OPT_OUT) != 0));

    ZoneAnswer noDs = OPT_OUT_ZONE.lookup(cut, Type.DS);
    assertEquals(ZoneAnswer.Kind.NODATA, noDs.kind());
    List<NSEC3Record> proof = nsec3Records(noDs.authority());
    assertTrue(proof.stream().anyMatch(r -> matches(r, APEX, OPT_OUT)));
    assertTrue(proof.stream().anyMatch(r -> covers(r, cut, OPT_OUT)));
  }

  @Test
  void dsIsAnsweredByTheParentSideOfTheCut() {
    ZoneAnswer ds = NSEC_ZONE.lookup(name("sub.zone.example."), Type.DS);
    assertEquals(ZoneAnswer.Kind.ANSWER, ds.kind());
    assertEquals(Type.DS, ds.answer().get(0).getType());
    ZoneAnswer noDs = NSEC_ZONE.lookup(name("ins.zone.example."), Type.DS);
    assertEquals(ZoneAnswer.Kind.NODATA, noDs.kind());
    assertEquals(List.of(Type.SOA, Type.NSEC), types(noDs.authority()));
    // Any other type at the cut is the child's business.
    assertEquals(ZoneAnswer.Kind.REFERRAL,
        NSEC_ZONE.lookup(name("sub.zone.example."), Type.DNSKEY).kind());
  }

  @Test
  void nsecBitmapsFollowRfc4035() {
    NSECRecord apex = (NSECRecord) NSEC_ZONE.rrset(APEX, Type.NSEC).first();
    for (int t : new int[] {Type.SOA, Type.NS, Type.DNSKEY, Type.NSEC, Type.RRSIG}) {
      assertTrue(apex.hasType(t), Type.string(t));
    }
    NSECRecord secureCut = (NSECRecord) NSEC_ZONE.rrset(name("sub.zone.example."), Type.NSEC)
        .first();
    assertTrue(secureCut.hasType(Type.NS) && secureCut.hasType(Type.DS));
    // Glue below a cut is not in the chain.
    assertNull(NSEC_ZONE.rrset(name("ns1.sub.zone.example."), Type.NSEC));
    assertNotNull(NSEC_ZONE.rrset(name("ns1.sub.zone.example."), Type.A));
  }

  @Test
  void unsignedZoneAnswersWithoutDnssecRecords() {
    ZoneAnswer nx = UNSIGNED_ZONE.lookup(name("nope.zone.example."), Type.A);
    assertEquals(Rcode.NXDOMAIN, nx.rcode());
    assertEquals(List.of(Type.SOA), types(nx.authority()));
    assertTrue(nx.authority().get(0).sigs().isEmpty());
    assertEquals(ZoneAnswer.Kind.NOT_AUTHORITATIVE,
        UNSIGNED_ZONE.lookup(name("www.elsewhere.example."), Type.A).kind());
  }

  // ---- helpers ----

  private static List<LabZone> signedZones() {
    return List.of(NSEC_ZONE, NSEC3_ZONE);
  }

  private static boolean proves(LabZone zone, RRset rrset, Predicate<Record> p) {
    return rrset.rrs(false).stream().anyMatch(p);
  }

  /** NSEC zones prove qname absent directly; NSEC3 zones via the next closer name. */
  private static boolean coversName(LabZone zone, Record r, Name qname, Name nextCloser) {
    if (r instanceof NSECRecord nsec) {
      return covers(nsec, qname);
    }
    return covers((NSEC3Record) r, nextCloser, zone.signing().nsec3());
  }

  private static List<Record> records(List<RRset> rrsets, int type) {
    return rrsets.stream().filter(r -> r.getType() == type)
        .flatMap(r -> r.rrs(false).stream()).collect(Collectors.toList());
  }

  private static List<NSEC3Record> nsec3Records(List<RRset> rrsets) {
    return records(rrsets, Type.NSEC3).stream().map(r -> (NSEC3Record) r)
        .collect(Collectors.toList());
  }

  private static List<Integer> types(List<RRset> rrsets) {
    return rrsets.stream().map(RRset::getType).collect(Collectors.toList());
  }

  private static Message query(String name, int type) {
    return Message.newQuery(Record.newRecord(name(name), type, org.xbill.DNS.DClass.IN));
  }

  private static Name name(String text) {
    return Name.fromConstantString(text);
  }
}
