package io.dnssecproxy.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

class TrustAnchorsTest {

  private static Name n(String s) {
    return Names.parse(s);
  }

  private static final String KEY = "AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjFFVQUTf6v58fLjwBd0YI0EzrAcQqBGCzh/RStIoO8g0NfnfL2MTJRkxoXbfDaUeVPQuYEhg37NZWAJQ9VnMVDxP/VHL496M/QZxkjf5/Efucp2gaDX6RS6CXpoY68LsvPVjR0ZSwzz1apAzvN9dlzEheX7ICJBBtuA6G3LQpzW5hOA2hzCTMjJPJ8LbqF6dsV6DoBQzgul0sGIcGOYl7OyQdXfZ57relSQageu+ipAdTTJ25AsRTAoub8ONGcLmqrAmRLKBP1dfwhYB4N7knNnulqQxA+Uk1ihz0=";

  private static Set<Integer> tags(TrustAnchors.Anchor a) {
    return a.ds().stream().map(DSRecord::getFootprint).collect(Collectors.toSet());
  }

  @Test
  void builtInHasBothRootKskDsRecords() {
    TrustAnchors.Anchor root = TrustAnchors.builtIn().at(Name.root);
    assertEquals(Set.of(20326, 38696), tags(root));
    for (DSRecord ds : root.ds()) {
      assertEquals(DNSSEC.Algorithm.RSASHA256, ds.getAlgorithm());
      assertEquals(DSRecord.Digest.SHA256, ds.getDigestID());
    }
    assertEquals(0, root.keys().size());
  }

  @Test
  void builtInRootEnclosesEveryName() {
    TrustAnchors builtIn = TrustAnchors.builtIn();
    assertEquals(Name.root, builtIn.closestEnclosing(n("www.example.com.")).zone());
    assertEquals(Name.root, builtIn.closestEnclosing(Name.root).zone());
    assertEquals(1, builtIn.all().size());
  }

  @Test
  void parsesDsAndDnskeyLinesPerZone() throws IOException {
    TrustAnchors a = TrustAnchors.parse(
        "corp.example. 3600 IN DS 12345 13 2 " + "AB".repeat(32) + "\n"
            + "corp.example. IN DNSKEY 257 3 8 " + KEY + "\n"
            + "lab.example. IN DNSKEY 257 3 8 " + KEY + "\n",
        "test");
    TrustAnchors.Anchor corp = a.at(n("Corp.Example."));
    assertEquals(n("corp.example."), corp.zone());
    assertEquals(Set.of(12345), tags(corp));
    assertEquals(1, corp.keys().size());
    TrustAnchors.Anchor lab = a.at(n("lab.example."));
    assertEquals(0, lab.ds().size());
    assertEquals(257, lab.keys().get(0).getFlags());
    assertEquals(2, a.all().size());
  }

  @Test
  void relativeOwnerNamesAreTakenFromTheRoot() throws IOException {
    TrustAnchors a = TrustAnchors.parse("corp.example IN DS 12345 13 2 " + "AB".repeat(32) + "\n", "test");
    assertEquals(Set.of(12345), tags(a.at(n("corp.example."))));
  }

  @Test
  void closestEnclosingWalksUpToTheNearestAnchor() throws IOException {
    TrustAnchors a = TrustAnchors.parse(
        ". IN DS 20326 8 2 " + "CD".repeat(32) + "\n"
            + "corp.example. IN DS 12345 13 2 " + "AB".repeat(32) + "\n",
        "test");
    assertEquals(n("corp.example."), a.closestEnclosing(n("a.b.CORP.example.")).zone());
    assertEquals(n("corp.example."), a.closestEnclosing(n("corp.example.")).zone());
    assertSame(a.at(Name.root), a.closestEnclosing(n("example.")));
    assertSame(a.at(Name.root), a.closestEnclosing(n("xcorp.example.")));
  }

  @Test
  void closestEnclosingIsNullOutsideEveryAnchor() throws IOException {
    TrustAnchors a = TrustAnchors.parse("corp.example. IN DS 12345 13 2 " + "AB".repeat(32) + "\n", "test");
    assertNull(a.closestEnclosing(n("www.example.")));
    assertNull(a.closestEnclosing(Name.root));
  }

  @Test
  void otherRecordTypesAreRejected() {
    IOException e = assertThrows(IOException.class,
        () -> TrustAnchors.parse("example. IN DS 12345 13 2 " + "AB".repeat(32) + "\nexample. IN A 192.0.2.1\n", "anchors.txt"));
    assertTrue(e.getMessage().startsWith("anchors.txt: "), e.getMessage());
    assertTrue(e.getMessage().contains("A is not a DS or DNSKEY record"), e.getMessage());
  }

  @Test
  void otherClassesAreRejected() {
    IOException e = assertThrows(IOException.class,
        () -> TrustAnchors.parse("example. CH DS 12345 13 2 " + "AB".repeat(32) + "\n", "anchors.txt"));
    assertTrue(e.getMessage().contains("not class IN"), e.getMessage());
  }

  @Test
  void emptyInputIsRejected() {
    IOException e = assertThrows(IOException.class, () -> TrustAnchors.parse("; only a comment\n", "anchors.txt"));
    assertTrue(e.getMessage().contains("no DS or DNSKEY"), e.getMessage());
  }

  @Test
  void garbageIsRejectedWithTheSource() {
    IOException e = assertThrows(IOException.class, () -> TrustAnchors.parse("not a zone file\n", "anchors.txt"));
    assertTrue(e.getMessage().startsWith("anchors.txt: "), e.getMessage());
  }
}
