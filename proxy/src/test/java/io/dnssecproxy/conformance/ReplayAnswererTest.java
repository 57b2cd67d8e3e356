package io.dnssecproxy.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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

/** How the replay upstream turns authoritative servers' entries into recursive answers. */
class ReplayAnswererTest {

  /** Root refers com to 10.0.0.2, which refers example.com (with its DS) to 10.0.0.3. */
  private static final String SERVERS = """
      server:
      \tval-override-date: "20070916134226"
      stub-zone:
      \tname: "."
      \tstub-addr: 10.0.0.1
      CONFIG_END
      SCENARIO_BEGIN answerer test
      RANGE_BEGIN 0 100
      \tADDRESS 10.0.0.1
      ENTRY_BEGIN
      MATCH opcode subdomain
      ADJUST copy_id copy_query
      REPLY QR NOERROR
      SECTION QUESTION
      com. IN A
      SECTION AUTHORITY
      com. IN NS a.gtld.net.
      SECTION ADDITIONAL
      a.gtld.net. IN A 10.0.0.2
      ENTRY_END
      RANGE_END
      RANGE_BEGIN 0 100
      \tADDRESS 10.0.0.2
      ENTRY_BEGIN
      MATCH opcode subdomain
      ADJUST copy_id copy_query
      REPLY QR NOERROR
      SECTION QUESTION
      example.com. IN A
      SECTION AUTHORITY
      example.com. IN NS ns.example.com.
      example.com. IN DS 2854 3 1 46e4ffc6e9a4793b488954bd3f0cc6af0dfb201b
      example.com. IN RRSIG DS 8 2 3600 20070926134150 20070829134150 1 com. AAAA
      SECTION ADDITIONAL
      ns.example.com. IN A 10.0.0.3
      ENTRY_END
      RANGE_END
      RANGE_BEGIN 0 100
      \tADDRESS 10.0.0.3
      ENTRY_BEGIN
      MATCH opcode qtype qname
      ADJUST copy_id
      REPLY QR AA NOERROR
      SECTION QUESTION
      example.com. IN DS
      SECTION AUTHORITY
      example.com. IN SOA ns.example.com. h.example.com. 1 2 3 4 5
      ENTRY_END
      ENTRY_BEGIN
      MATCH opcode qtype qname
      ADJUST copy_id
      REPLY QR AA NOERROR
      SECTION QUESTION
      www.example.com. IN A
      SECTION ANSWER
      www.example.com. IN CNAME web.example.com.
      SECTION AUTHORITY
      www.example.com. IN RRSIG CNAME 8 3 3600 20070926134150 20070829134150 1 example.com. AAAA
      ENTRY_END
      ENTRY_BEGIN
      MATCH opcode qtype qname
      ADJUST copy_id
      REPLY QR AA NOERROR
      SECTION QUESTION
      web.example.com. IN A
      SECTION ANSWER
      web.example.com. IN A 192.0.2.1
      web.example.com. IN RRSIG A 8 3 3600 20070926134150 20070829134150 1 example.com. AAAA
      ENTRY_END
      ENTRY_BEGIN
      MATCH opcode qtype qname
      ADJUST copy_id
      REPLY QR AA NXDOMAIN
      SECTION QUESTION
      gone.sub.example.com. IN A
      SECTION AUTHORITY
      example.com. IN SOA ns.example.com. h.example.com. 1 2 3 4 5
      ENTRY_END
      RANGE_END
      RANGE_BEGIN 0 100
      \tADDRESS 10.0.0.4
      ; a server the iteration never reaches: example.com does not delegate sub.example.com
      ENTRY_BEGIN
      MATCH opcode qtype qname
      ADJUST copy_id
      REPLY QR AA NOERROR
      SECTION QUESTION
      gone.sub.example.com. IN A
      SECTION ANSWER
      gone.sub.example.com. IN A 192.0.2.99
      SECTION AUTHORITY
      sub.example.com. IN SOA ns.sub.example.com. h.example.com. 1 2 3 4 5
      ENTRY_END
      RANGE_END
      STEP 1 QUERY
      ENTRY_BEGIN
      REPLY RD DO
      SECTION QUESTION
      www.example.com. IN A
      ENTRY_END
      SCENARIO_END
      """;

  private final ReplayAnswerer answerer;

  ReplayAnswererTest() throws Exception {
    answerer = new ReplayAnswerer(RplParser.parse("answerer.rpl", SERVERS));
    answerer.setCurrentStep(1);
  }

  @Test
  void dsComesFromTheParentsReferralNotTheChildsNodata() throws Exception {
    Message response = answerer.answer(query("example.com.", Type.DS, true));
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertEquals(List.of(Type.DS, Type.RRSIG), types(response, Section.ANSWER));
  }

  @Test
  void followsTheIterationPathNotTheDeepestServer() throws Exception {
    Message response = answerer.answer(query("gone.sub.example.com.", Type.A, true));
    assertEquals(Rcode.NXDOMAIN, response.getRcode());
    assertTrue(response.getSection(Section.ANSWER).isEmpty());
  }

  @Test
  void chasesCnamesAndPutsSignaturesBesideTheirRrsets() throws Exception {
    Message response = answerer.answer(query("www.example.com.", Type.A, true));
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertEquals(List.of(Type.CNAME, Type.A, Type.RRSIG, Type.RRSIG),
        types(response, Section.ANSWER));
    assertTrue(response.getSection(Section.AUTHORITY).isEmpty());
    assertTrue(response.getHeader().getFlag(Flags.RA));
    assertFalse(response.getHeader().getFlag(Flags.AD));
    assertFalse(response.getHeader().getFlag(Flags.AA));
  }

  @Test
  void leavesDnssecRecordsOutWithoutDo() throws Exception {
    Message response = answerer.answer(query("web.example.com.", Type.A, false));
    assertEquals(List.of(Type.A), types(response, Section.ANSWER));
  }

  @Test
  void neverPassesOnAReferral() throws Exception {
    Message response = answerer.answer(query("nowhere.net.", Type.A, true));
    assertEquals(Rcode.SERVFAIL, response.getRcode());
    assertTrue(answerer.gaps().get(0).startsWith("nowhere.net./A"), answerer.gaps().toString());
  }

  @Test
  void truncatesToHeaderAndQuestionBeyondTheClientsLimit() throws Exception {
    Message query = query("www.example.com.", Type.TXT, false);
    Message big = DnsWire.responseSkeleton(query);
    for (int i = 0; i < 20; i++) {
      big.addRecord(Record.fromString(Name.fromString("www.example.com."), Type.TXT, DClass.IN,
          60, "\"" + "x".repeat(40) + i + "\"", Name.root), Section.ANSWER);
    }
    Message onWire = new Message(DnsWire.toUdpWire(big, query));
    assertTrue(onWire.getHeader().getFlag(Flags.TC));
    assertEquals(1, onWire.getSection(Section.QUESTION).size());
    assertTrue(onWire.getSection(Section.ANSWER).isEmpty());
  }

  private static Message query(String name, int type, boolean dnssec) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    if (dnssec) {
      q.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    }
    return q;
  }

  private static List<Integer> types(Message m, int section) {
    return m.getSection(section).stream().map(Record::getType).toList();
  }
}
