package io.dnssecproxy.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class QueryFileTest {

  private static List<QuerySpec> parse(String text) throws Exception {
    return QueryFile.parse(new StringReader(text), "q.txt");
  }

  @Test
  void readsNameAndTypePerLineInOrder() throws Exception {
    List<QuerySpec> q = parse("www.ecdsa.test A\nexample. DNSKEY\nh00001.cold-rsa.test aaaa\n");
    assertEquals(List.of(
        new QuerySpec(Name.fromString("www.ecdsa.test."), Type.A),
        new QuerySpec(Name.fromString("example."), Type.DNSKEY),
        new QuerySpec(Name.fromString("h00001.cold-rsa.test."), Type.AAAA)), q);
  }

  @Test
  void namesWithoutTrailingDotAreAbsolute() throws Exception {
    assertTrue(parse("www.example A").get(0).name().isAbsolute());
  }

  @Test
  void skipsBlankLinesAndCommentsAndExtraWhitespace() throws Exception {
    List<QuerySpec> q = parse("; dnsperf comment\n\n# another\n   www.test \t MX  \n");
    assertEquals(List.of(new QuerySpec(Name.fromString("www.test."), Type.MX)), q);
  }

  @Test
  void unknownTypeIsRefusedWithItsLineNumber() {
    Exception e = assertThrows(QueryFile.QueryFileException.class, () -> parse("a.test A\nb.test NOPE\n"));
    assertEquals("q.txt:2: unknown query type 'NOPE'", e.getMessage());
  }

  @Test
  void lineWithoutTypeIsRefused() {
    Exception e = assertThrows(QueryFile.QueryFileException.class, () -> parse("a.test\n"));
    assertTrue(e.getMessage().startsWith("q.txt:1: expected 'name TYPE'"), e.getMessage());
  }

  @Test
  void lineWithExtraFieldsIsRefused() {
    assertThrows(QueryFile.QueryFileException.class, () -> parse("a.test A IN\n"));
  }

  @Test
  void fileWithoutQueriesIsRefused() {
    Exception e = assertThrows(QueryFile.QueryFileException.class, () -> parse("; only a comment\n\n"));
    assertEquals("q.txt: no queries", e.getMessage());
  }

  @Test
  void overlongLabelIsRefused() {
    String label = "x".repeat(64);
    assertThrows(QueryFile.QueryFileException.class, () -> parse(label + ".test A\n"));
  }
}
