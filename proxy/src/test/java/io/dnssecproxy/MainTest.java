package io.dnssecproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line's contract: one clear line and exit code 2 for bad configuration, 1 for a failed start. */
class MainTest {

  private record Run(int exit, String err) {
    long lines() {
      return err.lines().count();
    }
  }

  private static Run run(Map<String, String> env, String... args) {
    StringWriter err = new StringWriter();
    int exit = Main.run(args, env, new PrintWriter(err, true));
    return new Run(exit, err.toString());
  }

  private static Run run(String... args) {
    return run(Map.of(), args);
  }

  @Test
  void helpListsEveryStableOption() {
    StringWriter out = new StringWriter();
    picocli.CommandLine cmd = new picocli.CommandLine(new Main());
    cmd.setOut(new PrintWriter(out, true));
    assertEquals(0, cmd.execute("--help"));
    for (String option : new String[] {"--listen", "--upstream", "--trust-anchor-file", "--mode", "--insecure-domain",
        "--now", "--enable-algorithm", "--admin-listen", "--admin-token", "--policy-dir", "--config"}) {
      assertTrue(out.toString().contains(option), option);
    }
  }

  /** Netty's JFR probe and Vert.x's own DNS client are off unless the command line asked for them. */
  @ParameterizedTest
  @CsvSource({"io.netty.jfr.enabled, false, true", "vertx.disableDnsResolver, true, false"})
  void runtimeDefaultsYieldToTheCommandLine(String property, String byDefault, String given) {
    java.util.Properties none = new java.util.Properties();
    Main.applyRuntimeDefaults(none);
    assertEquals(byDefault, none.getProperty(property));

    java.util.Properties asked = new java.util.Properties();
    asked.setProperty(property, given);
    Main.applyRuntimeDefaults(asked);
    assertEquals(given, asked.getProperty(property));
  }

  @Test
  void badConfigurationExitsWithTwoAndOneLineWithoutStackTrace() {
    Run[] runs = {
      run("--upstream", "1.1.1.1", "--mode", "strict"),
      run("--upstream", "not-an-ip"),
      run("--upstream", "1.1.1.1", "--trust-anchor-file", "/no/such/file"),
      run("--listen", "127.0.0.1:5300", "--upstream", "127.0.0.1:5300"),
      run("--upstream", "1.1.1.1", "--now", "yesterday"),
      run("--upstream", "1.1.1.1", "--policy-dir", "/no/such/policy/dir"),
      run("--no-such-flag"),
      run(),
    };
    for (Run r : runs) {
      assertEquals(2, r.exit(), r.err());
      assertTrue(r.err().startsWith("dnssec-proxy: "), r.err());
      assertFalse(r.err().contains("\tat "), "stack trace: " + r.err());
      assertTrue(r.lines() <= 2, r.err());
    }
  }

  @Test
  void environmentIsUsedWhenTheFlagIsAbsentAndTheFlagWins() {
    Run fromEnv = run(Map.of("DNSSEC_PROXY_UPSTREAM", "1.1.1.1", "DNSSEC_PROXY_MODE", "sloppy"));
    assertEquals(2, fromEnv.exit());
    assertTrue(fromEnv.err().contains("sloppy"), fromEnv.err());
    Run flagWins = run(Map.of("DNSSEC_PROXY_MODE", "enforce"), "--mode", "lenient", "--upstream", "1.1.1.1");
    assertTrue(flagWins.err().contains("lenient"), flagWins.err());
  }

  @Test
  void unknownKeyInTheConfigFileIsRejected(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("proxy.conf");
    Files.writeString(file, "upstream = 1.1.1.1\nmodee = enforce\n");
    Run r = run("--config", file.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("modee"), r.err());
  }

  @Test
  void aListenAddressInUseFailsTheStartWithExitOneAndNamesTheAddress() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Run r = run("--listen", "127.0.0.1:" + port, "--upstream", "127.0.0.2:53", "--admin-listen", "off");
      assertEquals(1, r.exit(), r.err());
      assertTrue(r.err().contains("127.0.0.1:" + port) || r.err().contains(String.valueOf(port)), r.err());
      assertFalse(r.err().contains("\tat "), r.err());
    }
  }
}
