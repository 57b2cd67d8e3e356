package io.dnssecproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The open-resolver guard: DNS is served on loopback only unless explicitly allowed. */
class NonLoopbackListenGuardTest {

  @Command(name = "dnssec-proxy")
  static final class Cli {
    @Mixin ProxyOptions options;
  }

  private static ProxyConfig load(Map<String, String> env, String... args) throws ConfigException {
    Cli cli = new Cli();
    CommandLine cmd = new CommandLine(cli);
    Properties file = ConfigLoader.readConfigFile(args, env, cmd);
    ConfigLoader.installDefaults(cmd, env, file);
    cmd.parseArgs(args);
    return ConfigLoader.build(cli.options);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0:53", "[::]:53", "192.0.2.7:53", "[2001:db8::7]:53"})
  void aNonLoopbackListenAddressIsRefusedWithOneLineNamingTheFlag(String listen) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> load(Map.of(), "--listen", listen, "--upstream", "192.0.2.10:53"));
    String m = e.getMessage();
    assertFalse(m.contains("\n"), m);
    assertTrue(m.startsWith("--listen "), m);
    assertTrue(m.contains("--allow-non-loopback"), m);
    assertTrue(m.contains("open resolver"), m);
  }

  @Test
  void oneNonLoopbackAddressAmongLoopbackOnesIsEnoughToRefuse() {
    assertThrows(ConfigException.class,
        () -> load(Map.of(), "--listen", "127.0.0.1:53", "--listen", "0.0.0.0:5353", "--upstream", "192.0.2.10:53"));
  }

  @Test
  void loopbackAddressesNeedNoFlag() throws Exception {
    ProxyConfig c = load(Map.of(), "--listen", "127.0.0.1:53", "--listen", "127.0.0.53:53", "--listen", "[::1]:53",
        "--upstream", "192.0.2.10:53");
    assertEquals(3, c.listen().size());
  }

  @Test
  void theDefaultListenAddressesAreLoopback() throws Exception {
    ProxyConfig c = load(Map.of(), "--upstream", "192.0.2.10:53");
    assertTrue(c.listen().stream().allMatch(a -> a.getAddress().isLoopbackAddress()), c.listen()::toString);
  }

  @Test
  void theFlagAllowsAWildcardListener() throws Exception {
    ProxyConfig c = load(Map.of(), "--listen", "0.0.0.0:53", "--allow-non-loopback", "true", "--upstream", "192.0.2.10:53");
    assertEquals(List.of(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 53)), c.listen());
  }

  @Test
  void theEnvironmentVariableAllowsItToo() throws Exception {
    ProxyConfig c = load(Map.of("DNSSEC_PROXY_ALLOW_NON_LOOPBACK", "true"), "--listen", "[::]:53", "--upstream", "192.0.2.10:53");
    assertFalse(c.listen().get(0).getAddress().isLoopbackAddress());
  }

  @Test
  void anExplicitFalseStillRefuses() {
    ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(),
        "--listen", "0.0.0.0:53", "--allow-non-loopback", "false", "--upstream", "192.0.2.10:53"));
    assertTrue(e.getMessage().contains("--allow-non-loopback"), e.getMessage());
  }

  @Test
  void aBadFlagValueIsReportedAgainstTheFlag() {
    ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(),
        "--listen", "0.0.0.0:53", "--allow-non-loopback", "maybe", "--upstream", "192.0.2.10:53"));
    assertTrue(e.getMessage().startsWith("--allow-non-loopback"), e.getMessage());
  }
}
