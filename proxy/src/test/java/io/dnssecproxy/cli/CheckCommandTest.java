package io.dnssecproxy.cli;

import static io.dnssecproxy.lab.LabWorld.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.lab.LabUpstream;
import io.dnssecproxy.lab.LabWorld;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The chain-of-trust trace, run as a user would: the check subcommand against a signed world. */
class CheckCommandTest {

  private static Vertx vertx;
  private static LabUpstream upstream;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = LabUpstream.forHierarchy(vertx).start().await();
  }

  @AfterAll
  static void stop() {
    upstream.close();
    vertx.close().await();
  }

  private record Run(int exit, String out) {}

  private static Run check(String... extra) {
    StringWriter out = new StringWriter();
    CommandLine cmd = new CommandLine(new CheckCommand());
    cmd.setOut(new PrintWriter(out, true));
    String[] base = {"--upstream", "127.0.0.1:" + upstream.port(), "--trust-anchor-file",
        LabWorld.get().trustAnchorFile().toString(), "--now", NOW.toString()};
    String[] args = new String[extra.length + base.length];
    System.arraycopy(extra, 0, args, 0, extra.length);
    System.arraycopy(base, 0, args, extra.length, base.length);
    int exit = cmd.execute(args);
    return new Run(exit, out.toString());
  }

  @Test
  void aSecureNameShowsEveryZoneFromTheAnchorDownAndEndsSecure() {
    Run r = check(SECURE_WWW.toString(), "A");
    assertEquals(0, r.exit(), r.out());
    String out = r.out();
    assertTrue(out.indexOf("trust anchor") < out.indexOf("test.\n"), out);
    assertTrue(out.contains("  test.\n") && out.contains("    secure.test.\n"), out);
    assertTrue(out.contains("DS (signed by test.)"), out);
    assertTrue(out.contains("192.0.2.1"), out);
    assertTrue(out.trim().endsWith("verdict: SECURE"), out);
    assertTrue(!out.contains("[FAILED]"), out);
  }

  @Test
  void aBogusNameMarksTheFailedLinkAndExitsWithThree() {
    Run r = check(NODS_WWW.toString());
    assertEquals(3, r.exit(), r.out());
    assertTrue(r.out().contains("nods.test.\n"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.contains("[FAILED]") && l.contains("DNSKEY") && l.contains("failed link")), r.out());
    assertTrue(r.out().contains("verdict: BOGUS  EDE 9"), r.out());
  }

  @Test
  void anInsecureDelegationIsShownAsSuch() {
    Run r = check(INSECURE_WWW.toString());
    assertEquals(0, r.exit(), r.out());
    assertTrue(r.out().contains("[insecure] DS: none: unsigned delegation"), r.out());
    assertTrue(r.out().contains("verdict: INSECURE"), r.out());
  }

  @Test
  void jsonOutputCarriesTheVerdictAndEveryStep() {
    Run r = check(EXPIRED_WWW.toString(), "A", "--json");
    JsonObject json = new JsonObject(r.out().trim());
    assertEquals("bogus", json.getString("verdict"));
    assertEquals(7, json.getInteger("ede"));
    assertTrue(json.getJsonArray("steps").size() >= 5, r.out());
    assertTrue(json.getJsonArray("steps").stream().map(o -> ((JsonObject) o).getString("outcome")).anyMatch("failed"::equals));
  }

  @Test
  void aNonsenseTypeIsAUsageError() {
    assertEquals(2, check(SECURE_WWW.toString(), "NOTATYPE").exit());
  }
}
