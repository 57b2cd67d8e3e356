package io.dnssecproxy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class DomainNamesTest {

  @Test
  void aNameWithOrWithoutTheFinalDotBecomesAbsoluteAndLowerCase() throws Exception {
    assertEquals(Name.fromString("corp.example."), DomainNames.parseInsecureDomain("Corp.Example"));
    assertEquals(Name.fromString("corp.example."), DomainNames.parseInsecureDomain(" corp.example. "));
    assertEquals("corp.example.", DomainNames.parseInsecureDomain("CORP.example").toString());
  }

  @Test
  void reverseZonesUnderscoresAndPunycodeAreNames() throws Exception {
    assertEquals(Name.fromString("10.in-addr.arpa."), DomainNames.parseInsecureDomain("10.in-addr.arpa"));
    assertEquals(Name.fromString("_tcp.corp.example."), DomainNames.parseInsecureDomain("_tcp.corp.example"));
    assertEquals(Name.fromString("xn--bcher-kva.example."), DomainNames.parseInsecureDomain("xn--bcher-kva.example"));
  }

  @Test
  void emptyLabelsStrayCharactersAndOverlongLabelsAreRefused() {
    for (String bad : new String[] {"", "  ", "a..b", ".a", "a b", "corp/example", "a\"b", "*.example", "a." + "x".repeat(64)}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DomainNames.parseInsecureDomain(bad), bad);
      assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void theRootIsRefusedAsAnInsecureDomainButIsANameToFlush() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DomainNames.parseInsecureDomain("."));
    assertTrue(e.getMessage().contains("permissive"), e.getMessage());
    assertEquals(Name.root, DomainNames.parse("."));
  }

  @Test
  void aPastedLongTextIsShortenedInTheMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DomainNames.parse("bad name ".repeat(100)));
    assertTrue(e.getMessage().length() < 200, e.getMessage());
  }
}
