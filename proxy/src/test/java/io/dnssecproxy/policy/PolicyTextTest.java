package io.dnssecproxy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class PolicyTextTest {

  private static Name n(String s) throws Exception {
    return Name.fromString(s);
  }

  @Test
  void modeIsOneWordWithOptionalCommentsAndNewline() {
    assertEquals(Optional.of(Mode.PERMISSIVE), PolicyText.mode("permissive\n"));
    assertEquals(Optional.of(Mode.ENFORCE), PolicyText.mode("# set by platform team\n  Enforce  # default\n"));
  }

  @Test
  void anEmptyModeFileIsNoOverride() {
    assertEquals(Optional.empty(), PolicyText.mode(""));
    assertEquals(Optional.empty(), PolicyText.mode("# nothing yet\n\n"));
  }

  @Test
  void anUnknownModeOrTwoWordsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PolicyText.mode("strict"));
    assertTrue(e.getMessage().contains("strict"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PolicyText.mode("enforce permissive"));
  }

  @Test
  void domainsAreSeparatedByNewlinesCommasOrSpacesWithComments() throws Exception {
    String text = "# internal zones\ncorp.example, lab.example\n\n  svc.example   other.example # team x\r\n#gone.example\n";
    assertEquals(List.of(n("corp.example."), n("lab.example."), n("svc.example."), n("other.example.")),
        PolicyText.insecureDomains(text));
  }

  @Test
  void aBadDomainIsRefusedWithItsLineNumber() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PolicyText.insecureDomains("corp.example\n# fine\nbad..name\n"));
    assertTrue(e.getMessage().startsWith("line 3: "), e.getMessage());
    assertTrue(e.getMessage().contains("bad..name"), e.getMessage());
  }

  @Test
  void parsingASnapshotNamesTheFileThatFailed() {
    IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
        () -> PolicyText.parse(new PolicyFiles(Optional.of("strict"), Optional.empty())));
    assertTrue(mode.getMessage().startsWith("mode: "), mode.getMessage());
    IllegalArgumentException domains = assertThrows(IllegalArgumentException.class,
        () -> PolicyText.parse(new PolicyFiles(Optional.empty(), Optional.of("."))));
    assertTrue(domains.getMessage().startsWith("insecure-domains: line 1: "), domains.getMessage());
  }

  @Test
  void anEmptyDirectoryIsNoPolicy() {
    PolicyText.Policy p = PolicyText.parse(PolicyFiles.NONE);
    assertEquals(Optional.empty(), p.mode());
    assertEquals(List.of(), p.insecureDomains());
  }
}
