package io.dnssecproxy.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The replay-file parser on small hand-written snippets. */
class RplParserTest {

  private static final String SNIPPET = """
      ; config options
      server:
      \ttrust-anchor: "example.com.    3600    IN      DS      2854 3 1 46e4ffc6e9a4793b488954bd3f0cc6af0dfb201b"
      \tval-override-date: "20070916134226"
      \tval-min-rsa-size: 512   # old keys
      stub-zone:
      \tname: "."
      \tstub-addr: 193.0.14.129 \t# K.ROOT-SERVERS.NET.
      CONFIG_END

      SCENARIO_BEGIN Test snippet (with parentheses); and a semicolon

      RANGE_BEGIN 0 100
      \tADDRESS 193.0.14.129
      ENTRY_BEGIN
      MATCH opcode qtype qname
      ADJUST copy_id
      REPLY QR AA NXDOMAIN
      SECTION QUESTION
      www.example.com. IN A
      SECTION ANSWER
      SECTION AUTHORITY
      example.com. IN SOA ns.example.com. host.example.com. ( 1 3600
        300 3600000 ; a comment inside the parentheses
        3600 )
      example.com. NSEC b.example.com. SOA NS RRSIG NSEC ;{id = 2854}
      sub.example.com. 3600 IN DS 30899 RSASHA1 1 f7ed618f24d5e5202927e1d27bc2e84a141cb4b3
      txt.example.com. IN TXT "semi;colon"
      ENTRY_END
      RANGE_END

      STEP 1 QUERY
      ENTRY_BEGIN
      MATCH TCP
      REPLY RD DO
      SECTION QUESTION
      www.example.com. IN A
      ENTRY_END

      STEP 5 TIME_PASSES ELAPSE 10

      STEP 10 CHECK_ANSWER
      ENTRY_BEGIN
      MATCH all
      REPLY QR RD RA AD DO NXDOMAIN
      SECTION QUESTION
      www.example.com. IN A
      ENTRY_END
      SCENARIO_END
      """;

  @Test
  void readsConfig() throws Exception {
    RplScenario s = RplParser.parse("snippet.rpl", SNIPPET);
    assertEquals("Test snippet (with parentheses); and a semicolon", s.title());
    assertEquals(List.of(
        "example.com.    3600    IN      DS      2854 3 1 46e4ffc6e9a4793b488954bd3f0cc6af0dfb201b"),
        s.config().trustAnchors());
    assertEquals(Instant.parse("2007-09-16T13:42:26Z"), s.config().validationTime());
    assertEquals("512", s.config().serverOption("val-min-rsa-size").orElseThrow());
    assertTrue(s.config().hasClause("stub-zone"));
    assertEquals("193.0.14.129", s.config().clauses().get(0).options().get(1).getValue());
  }

  @Test
  void readsEntryFlagsAndRecords() throws Exception {
    RplScenario s = RplParser.parse("snippet.rpl", SNIPPET);
    RplRange range = s.ranges().get(0);
    assertEquals(List.of("193.0.14.129"), range.addresses());
    assertTrue(range.covers(0) && range.covers(100) && !range.covers(101));

    RplEntry e = range.entries().get(0);
    assertEquals(java.util.Set.of("opcode", "qtype", "qname"), e.match());
    assertEquals(java.util.Set.of("copy_id"), e.adjust());
    assertEquals(java.util.Set.of("QR", "AA"), e.flags());
    assertEquals(Rcode.NXDOMAIN, e.rcode());
    assertEquals(Name.fromString("www.example.com."), e.qname());
    assertEquals(Type.A, e.qtype());
    assertTrue(e.section(Section.ANSWER).isEmpty());

    List<Record> auth = e.section(Section.AUTHORITY);
    assertEquals(4, auth.size());
    // The multi-line SOA with a comment inside the parentheses.
    assertEquals("example.com.\t\t3600\tIN\tSOA\tns.example.com. host.example.com. 1 3600 300 "
        + "3600000 3600", auth.get(0).toString());
    // Missing TTL and class; trailing ;{id = ...} comment.
    assertEquals(Type.NSEC, auth.get(1).getType());
    // Algorithm mnemonic where dnsjava wants a number.
    assertEquals(5, ((DSRecord) auth.get(2)).getAlgorithm());
    // A semicolon inside quotes is data, not a comment.
    assertTrue(auth.get(3).rdataToString().contains("semi;colon"));
  }

  @Test
  void readsSteps() throws Exception {
    RplScenario s = RplParser.parse("snippet.rpl", SNIPPET);
    assertEquals(3, s.steps().size());
    RplStep query = s.steps().get(0);
    assertEquals(RplStep.QUERY, query.kind());
    assertEquals(1, query.number());
    assertTrue(query.entry().hasFlag("DO") && query.entry().hasFlag("RD"));
    assertFalse(query.entry().hasExplicitRcode());
    assertTrue(query.entry().match().contains("tcp"));

    RplStep time = s.steps().get(1);
    assertEquals(RplStep.TIME_PASSES, time.kind());
    assertEquals("ELAPSE 10", time.arguments());
    assertNull(time.entry());

    RplStep check = s.steps().get(2);
    assertEquals(RplStep.CHECK_ANSWER, check.kind());
    assertTrue(check.entry().hasFlag("AD"));
    assertEquals(Rcode.NXDOMAIN, check.entry().rcode());
  }

  @Test
  void convertsDerDsaSignaturesAndKeepsTheKeysT() throws Exception {
    String text = SNIPPET.replace("txt.example.com. IN TXT \"semi;colon\"", String.join("\n",
        "example.com. 3600 IN DNSKEY 256 3 3 ALXLUsWqUrY3JYER3T4TBJII s70j+sDS/UT2QRp61SE7S3E "
            + "EXopNXoFE73JLRmvpi/UrOO/Vz4Se 6wXv/CYCKjGw06U4WRgR YXcpEhJROyNapmdIKSx "
            + "hOzfLVE1gqA0PweZR8d tY3aNQSRn3sPpwJr6Mi /PqQKAMMrZ9ckJpf1+b QMOOvxgzz2U1GS18b3y "
            + "ZKcgTMEaJzd/GZYzi/B N2DzQ0MsrSwYXfsNLFO Bbs8PJMW4LYIxeeOe6rUgkWOF "
            + "7CC9Dh/dduQ1QrsJhmZAEFfd6ByYV+",
        "example.com. 3600 IN RRSIG NS 3 2 3600 20070926134150 20070829134150 2854 "
            + "example.com. MC0CFQCN+qHdJxoI/2tNKwsb08pra/G7aAIUAWA5sDdJTbrXA1/3OaesGBAO3sI="));
    RplEntry e = RplParser.parse("dsa.rpl", text).ranges().get(0).entries().get(0);
    List<Record> auth = e.section(Section.AUTHORITY);
    DNSKEYRecord key = (DNSKEYRecord) auth.get(3);
    RRSIGRecord sig = (RRSIGRecord) auth.get(4);
    byte[] signature = sig.getSignature();
    assertEquals(41, signature.length);
    assertEquals(key.getKey()[0], signature[0]);
    assertEquals(2, sig.getLabels());
    assertEquals(2854, sig.getFootprint());
  }

  @Test
  void derConversionPadsShortIntegersAndDropsSignOctets() {
    byte[] r = new byte[21];
    r[1] = (byte) 0x80; // leading 0x00 sign octet then a high bit
    byte[] s = {0x01, 0x02};
    byte[] der = new byte[2 + 2 + r.length + 2 + s.length];
    der[0] = 0x30;
    der[1] = (byte) (der.length - 2);
    der[2] = 0x02;
    der[3] = (byte) r.length;
    System.arraycopy(r, 0, der, 4, r.length);
    der[4 + r.length] = 0x02;
    der[5 + r.length] = (byte) s.length;
    System.arraycopy(s, 0, der, 6 + r.length, s.length);

    byte[] out = DsaSignatureFormat.derToRfc2536(der, 7);
    assertEquals(41, out.length);
    assertEquals(7, out[0]);
    assertEquals((byte) 0x80, out[1]);
    byte[] sPart = java.util.Arrays.copyOfRange(out, 39, 41);
    assertArrayEquals(s, sPart);
    assertNull(DsaSignatureFormat.derToRfc2536(new byte[41], 0));
  }

  @Test
  void reportsFileAndLineOnErrors() {
    String broken = SNIPPET.replace("REPLY QR AA NXDOMAIN", "REPLY QR BOGUSFLAG NXDOMAIN");
    RplParser.RplParseException e = assertThrows(RplParser.RplParseException.class,
        () -> RplParser.parse("broken.rpl", broken));
    assertTrue(e.getMessage().startsWith("broken.rpl:18:"), e.getMessage());
  }
}
