package io.dnssecproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.policy.Mode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Drives the loader the way Main does: picocli with a mixin, env and file as layered defaults. */
class ConfigLoaderTest {

  @Command(name = "dnssec-proxy")
  static final class Cli {
    @Mixin ProxyOptions options;
  }

  @TempDir Path dir;

  private static ProxyConfig load(Map<String, String> env, String... args) throws ConfigException {
    Cli cli = new Cli();
    CommandLine cmd = new CommandLine(cli);
    Properties file = ConfigLoader.readConfigFile(args, env, cmd);
    ConfigLoader.installDefaults(cmd, env, file);
    cmd.parseArgs(args);
    return ConfigLoader.build(cli.options);
  }

  private static ProxyConfig load(String... args) throws ConfigException {
    return load(Map.of(), args);
  }

  private Path file(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  private static InetSocketAddress addr(String ip, int port) throws Exception {
    return new InetSocketAddress(InetAddress.getByName(ip), port);
  }

  /** The failure message: one line, starting with the option it is about. */
  private static String failure(String option, Map<String, String> env, String... args) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(env, args));
    String m = e.getMessage();
    assertFalse(m.contains("\n") || m.contains("\r"), "message is not one line: " + m);
    assertTrue(m.contains(option), "message does not name " + option + ": " + m);
    return m;
  }

  private static String failure(String option, String... args) {
    return failure(option, Map.of(), args);
  }

  // --- defaults ---

  @Test
  void defaultsListenOnLoopbackBothFamiliesEnforceAndAdminOnLocalhost() throws Exception {
    ProxyConfig c = load("--upstream", "10.96.0.10");
    assertEquals(List.of(addr("127.0.0.1", 53), addr("::1", 53)), c.listen());
    assertEquals(List.of(addr("10.96.0.10", 53)), c.upstreams());
    assertEquals(Mode.ENFORCE, c.mode());
    assertEquals(Optional.of(addr("127.0.0.1", 9153)), c.adminListen());
    assertEquals("cluster.local.", c.clusterDomain());
    assertEquals(Optional.empty(), c.trustAnchorFile());
    assertEquals(Optional.empty(), c.now());
    assertEquals(Set.of(), c.enabledAlgorithms());
    assertEquals(List.of(), c.insecureDomains());
  }

  @Test
  void defaultsForCacheServerAndValidation() throws Exception {
    ProxyConfig c = load("--upstream", "10.96.0.10");
    assertEquals(new ProxyConfig.Cache(50_000, 32L << 20, Duration.ofSeconds(86_400), Duration.ofSeconds(3_600),
        Duration.ofSeconds(60), true, Duration.ofSeconds(30), Duration.ofSeconds(86_400), true), c.cache());
    assertEquals(Duration.ofMillis(1200), c.upstream().timeout());
    assertEquals(new ProxyConfig.Server(256, Duration.ofSeconds(10)), c.server());
    assertEquals(new ProxyConfig.Validation(Duration.ofSeconds(300), 150, false, true), c.validation());
  }

  @Test
  void adminListenOffDisablesTheAdminServer() throws Exception {
    assertEquals(Optional.empty(), load("--upstream", "10.96.0.10", "--admin-listen", "OFF").adminListen());
  }

  @Test
  void adminListenWithoutPortUses9153() throws Exception {
    assertEquals(Optional.of(addr("0.0.0.0", 9153)), load("--upstream", "10.96.0.10", "--admin-listen", "0.0.0.0").adminListen());
  }

  @Test
  void everySettingIsReadFromFlags() throws Exception {
    ProxyConfig c = load("--upstream", "10.96.0.10", "--listen", "127.0.0.1:5353", "--mode", "Permissive",
        "--cluster-domain", "Corp.Example", "--insecure-domain", "lab.example.", "--now", "2026-06-01",
        "--enable-algorithm", "3", "--cache-max-entries", "10", "--cache-max-bytes", "2m", "--cache-max-ttl", "600", "--cache-negative-max-ttl", "60",
        "--bogus-ttl", "5", "--serve-stale", "no", "--stale-answer-ttl", "7", "--stale-max-age", "3600", "--prefetch", "off",
        "--upstream-timeout", "250", "--max-tcp-connections", "8", "--tcp-idle-timeout", "3", "--clock-skew", "0",
        "--nsec3-max-iterations", "100");
    assertEquals(List.of(addr("127.0.0.1", 5353)), c.listen());
    assertEquals(Mode.PERMISSIVE, c.mode());
    assertEquals("corp.example.", c.clusterDomain());
    assertEquals(List.of(Name.fromString("lab.example.")), c.insecureDomains());
    assertEquals(Optional.of(Instant.parse("2026-06-01T00:00:00Z")), c.now());
    assertEquals(Set.of(3), c.enabledAlgorithms());
    assertEquals(new ProxyConfig.Cache(10, 2L << 20, Duration.ofSeconds(600), Duration.ofSeconds(60), Duration.ofSeconds(5),
        false, Duration.ofSeconds(7), Duration.ofSeconds(3600), false), c.cache());
    assertEquals(Duration.ofMillis(250), c.upstream().timeout());
    assertEquals(new ProxyConfig.Server(8, Duration.ofSeconds(3)), c.server());
    assertEquals(new ProxyConfig.Validation(Duration.ZERO, 100, false, true), c.validation());
  }

  // --- lists ---

  @Test
  void upstreamIsRepeatableInPreferenceOrder() throws Exception {
    ProxyConfig c = load("--upstream", "10.0.0.2", "--upstream", "[fd00::53]:5353");
    assertEquals(List.of(addr("10.0.0.2", 53), addr("fd00::53", 5353)), c.upstreams());
  }

  @Test
  void upstreamFlagAcceptsCommaSeparatedList() throws Exception {
    ProxyConfig c = load("--upstream=10.0.0.2,10.0.0.3:5353");
    assertEquals(List.of(addr("10.0.0.2", 53), addr("10.0.0.3", 5353)), c.upstreams());
  }

  @Test
  void listenIsRepeatableAndReplacesTheDefaults() throws Exception {
    ProxyConfig c = load("--upstream", "10.0.0.2", "--listen", "127.0.0.1:5353", "--listen", "[::1]:5353");
    assertEquals(List.of(addr("127.0.0.1", 5353), addr("::1", 5353)), c.listen());
  }

  @Test
  void environmentListIsCommaSeparated() throws Exception {
    ProxyConfig c = load(Map.of("DNSSEC_PROXY_UPSTREAM", "10.0.0.5, 10.0.0.6:5353"));
    assertEquals(List.of(addr("10.0.0.5", 53), addr("10.0.0.6", 5353)), c.upstreams());
  }

  @Test
  void fileListIsCommaSeparated() throws Exception {
    Path f = file("proxy.conf", "upstream = 10.0.0.7,10.0.0.8\ninsecure-domain = a.example., b.example\n");
    ProxyConfig c = load("--config", f.toString());
    assertEquals(List.of(addr("10.0.0.7", 53), addr("10.0.0.8", 53)), c.upstreams());
    assertEquals(List.of(Name.fromString("a.example."), Name.fromString("b.example.")), c.insecureDomains());
  }

  // --- precedence: flags > environment > file ---

  @Test
  void fileAloneSuppliesTheUpstream() throws Exception {
    Path f = file("proxy.conf", "# comment\nupstream = 10.0.0.3\nmode = permissive\n");
    ProxyConfig c = load("--config", f.toString());
    assertEquals(List.of(addr("10.0.0.3", 53)), c.upstreams());
    assertEquals(Mode.PERMISSIVE, c.mode());
  }

  @Test
  void configFileMayBeNamedByEnvironment() throws Exception {
    Path f = file("proxy.conf", "upstream = 10.0.0.3\n");
    ProxyConfig c = load(Map.of("DNSSEC_PROXY_CONFIG", f.toString()));
    assertEquals(List.of(addr("10.0.0.3", 53)), c.upstreams());
  }

  @Test
  void configFileMayBeNamedWithEqualsSyntax() throws Exception {
    Path f = file("proxy.conf", "upstream = 10.0.0.3\n");
    assertEquals(List.of(addr("10.0.0.3", 53)), load("--config=" + f).upstreams());
  }

  @Test
  void environmentBeatsFile() throws Exception {
    Path f = file("proxy.conf", "upstream = 10.0.0.3\nmode = permissive\n");
    ProxyConfig c = load(Map.of("DNSSEC_PROXY_UPSTREAM", "10.0.0.2", "DNSSEC_PROXY_MODE", "enforce"), "--config", f.toString());
    assertEquals(List.of(addr("10.0.0.2", 53)), c.upstreams());
    assertEquals(Mode.ENFORCE, c.mode());
  }

  @Test
  void flagBeatsEnvironmentAndFileAndDoesNotMergeWithThem() throws Exception {
    Path f = file("proxy.conf", "upstream = 10.0.0.3\n");
    ProxyConfig c = load(Map.of("DNSSEC_PROXY_UPSTREAM", "10.0.0.2"), "--config", f.toString(), "--upstream", "10.0.0.1");
    assertEquals(List.of(addr("10.0.0.1", 53)), c.upstreams());
  }

  @Test
  void scalarFlagBeatsEnvironment() throws Exception {
    ProxyConfig c = load(Map.of("DNSSEC_PROXY_MODE", "permissive", "DNSSEC_PROXY_UPSTREAM", "10.0.0.2"), "--mode", "enforce");
    assertEquals(Mode.ENFORCE, c.mode());
  }

  @Test
  void layersCombinePerOption() throws Exception {
    Path f = file("proxy.conf", "bogus-ttl = 9\nmode = permissive\nupstream = 10.0.0.3\n");
    ProxyConfig c = load(Map.of("DNSSEC_PROXY_MODE", "enforce"), "--config", f.toString(), "--upstream", "10.0.0.1");
    assertEquals(List.of(addr("10.0.0.1", 53)), c.upstreams()); // flag
    assertEquals(Mode.ENFORCE, c.mode()); // environment
    assertEquals(Duration.ofSeconds(9), c.cache().bogusTtl()); // file
  }

  @Test
  void blankEnvironmentValueFallsThroughToFile() throws Exception {
    Path f = file("proxy.conf", "upstream = 10.0.0.3\n");
    ProxyConfig c = load(Map.of("DNSSEC_PROXY_UPSTREAM", "  "), "--config", f.toString());
    assertEquals(List.of(addr("10.0.0.3", 53)), c.upstreams());
  }

  // --- mistakes, each one line naming the option ---

  @Test
  void noUpstreamIsAnError() {
    String m = failure("--upstream");
    assertTrue(m.contains("no upstream"), m);
  }

  @Test
  void unparsableUpstreamNamesTheOption() {
    String m = failure("--upstream", "--upstream", "dns.google");
    assertTrue(m.contains("dns.google"), m);
  }

  @Test
  void unparsableListenNamesTheOption() {
    failure("--listen", "--upstream", "10.0.0.1", "--listen", "127.0.0.1:99999");
  }

  @Test
  void unparsableAdminListenNamesTheOption() {
    failure("--admin-listen", "--upstream", "10.0.0.1", "--admin-listen", "metrics.local:9153");
  }

  @Test
  void unparsableUpstreamFromEnvironmentNamesTheOption() {
    failure("--upstream", Map.of("DNSSEC_PROXY_UPSTREAM", "10.0.0.1;10.0.0.2"));
  }

  @Test
  void upstreamPortZeroIsRejected() {
    failure("--upstream", "--upstream", "10.0.0.1:0");
  }

  @Test
  void unknownModeNamesTheOptionAndTheValue() {
    String m = failure("--mode", "--upstream", "10.0.0.1", "--mode", "strict");
    assertTrue(m.contains("strict"), m);
  }

  @Test
  void missingTrustAnchorFileNamesTheOption() {
    String m = failure("--trust-anchor-file", "--upstream", "10.0.0.1", "--trust-anchor-file", dir.resolve("absent.keys").toString());
    assertTrue(m.contains("no such file"), m);
  }

  @Test
  void garbageTrustAnchorFileNamesTheOption() throws Exception {
    Path f = file("root.keys", "this is not a zone file at all\n");
    String m = failure("--trust-anchor-file", "--upstream", "10.0.0.1", "--trust-anchor-file", f.toString());
    assertEquals(m.indexOf(f.toString()), m.lastIndexOf(f.toString()), "file named once: " + m);
  }

  @Test
  void directoryAsTrustAnchorFileNamesTheOptionAndThePath() {
    String m = failure("--trust-anchor-file", "--upstream", "10.0.0.1", "--trust-anchor-file", dir.toString());
    assertTrue(m.contains(dir.toString()), m);
  }

  @Test
  void trustAnchorFileWithOtherRecordTypesNamesTheOption() throws Exception {
    Path f = file("root.keys", "example. 3600 IN A 192.0.2.1\n");
    String m = failure("--trust-anchor-file", "--upstream", "10.0.0.1", "--trust-anchor-file", f.toString());
    assertTrue(m.contains("not a DS or DNSKEY"), m);
  }

  @Test
  void emptyTrustAnchorFileNamesTheOption() throws Exception {
    Path f = file("root.keys", "; nothing here\n");
    failure("--trust-anchor-file", "--upstream", "10.0.0.1", "--trust-anchor-file", f.toString());
  }

  @Test
  void goodTrustAnchorFileIsAccepted() throws Exception {
    Path f = file("root.keys",
        ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n");
    assertEquals(Optional.of(f), load("--upstream", "10.0.0.1", "--trust-anchor-file", f.toString()).trustAnchorFile());
  }

  @Test
  void upstreamEqualToAListenAddressWouldLoop() {
    String m = failure("--upstream", "--upstream", "127.0.0.1:53");
    assertTrue(m.contains("loop"), m);
  }

  @Test
  void upstreamEqualToAnIpv6ListenAddressWouldLoop() {
    failure("--upstream", "--upstream", "[::1]:53");
  }

  @Test
  void upstreamOnLoopbackWithWildcardListenWouldLoop() {
    String m = failure("--upstream", "--listen", "0.0.0.0:53", "--upstream", "127.0.0.1:53");
    assertTrue(m.contains("loop"), m);
  }

  @Test
  void upstreamOnLoopbackWithIpv6WildcardListenWouldLoop() {
    failure("--upstream", "--listen", "[::]:53", "--upstream", "127.0.0.1:53");
  }

  @Test
  void upstreamOnLoopbackWithAnotherPortIsFine() throws Exception {
    ProxyConfig c = load("--upstream", "127.0.0.1:5353");
    assertEquals(List.of(addr("127.0.0.1", 5353)), c.upstreams());
  }

  @Test
  void remoteUpstreamWithWildcardListenIsFine() throws Exception {
    // Listening on all addresses (explicitly allowed), forwarding to the cluster DNS service.
    // 192.0.2.0/24 is TEST-NET-1, never an address of this host.
    ProxyConfig c = load("--listen", "0.0.0.0:53", "--allow-non-loopback", "true", "--upstream", "192.0.2.10:53");
    assertEquals(List.of(addr("192.0.2.10", 53)), c.upstreams());
  }

  @Test
  void upstreamOnTheWildcardAddressWouldLoop() {
    failure("--upstream", "--listen", "127.0.0.1:53", "--upstream", "0.0.0.0:53");
  }

  @Test
  void ipv4WildcardListenDoesNotCaptureIpv6Loopback() {
    assertFalse(ConfigLoader.loopsBack(new InetSocketAddress("0.0.0.0", 53), new InetSocketAddress("::1", 53)));
  }

  @Test
  void ipv6WildcardListenCapturesIpv4Loopback() {
    assertTrue(ConfigLoader.loopsBack(new InetSocketAddress("::", 53), new InetSocketAddress("127.0.0.1", 53)));
  }

  @Test
  void unknownKeyInConfigFileIsNamed() throws Exception {
    Path f = file("proxy.conf", "upstream = 10.0.0.1\nupstreams = 10.0.0.2\n");
    ConfigException e = assertThrows(ConfigException.class, () -> load("--config", f.toString()));
    assertTrue(e.getMessage().contains("unknown setting 'upstreams'"), e.getMessage());
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void configKeyInsideConfigFileIsRejected() throws Exception {
    Path f = file("proxy.conf", "upstream = 10.0.0.1\nconfig = /etc/other.conf\n");
    ConfigException e = assertThrows(ConfigException.class, () -> load("--config", f.toString()));
    assertTrue(e.getMessage().contains("'config'"), e.getMessage());
  }

  @Test
  void unreadableConfigFileIsReported() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("--config", dir.resolve("absent.conf").toString()));
    assertTrue(e.getMessage().contains("cannot read config file"), e.getMessage());
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
  }

  @Test
  void unsupportedAlgorithmIsRejected() {
    String m = failure("--enable-algorithm", "--upstream", "10.0.0.1", "--enable-algorithm", "99");
    assertTrue(m.contains("99"), m);
  }

  @Test
  void algorithmOutOfByteRangeIsRejected() {
    failure("--enable-algorithm", "--upstream", "10.0.0.1", "--enable-algorithm", "256");
  }

  @Test
  void nonNumericAlgorithmIsRejected() {
    failure("--enable-algorithm", "--upstream", "10.0.0.1", "--enable-algorithm", "DSA");
  }

  @Test
  void dsaMayBeEnabled() throws Exception {
    assertEquals(Set.of(3, 12), load("--upstream", "10.0.0.1", "--enable-algorithm", "3,12").enabledAlgorithms());
  }

  @Test
  void badNowNamesTheOption() {
    failure("--now", "--upstream", "10.0.0.1", "--now", "yesterday");
  }

  @Test
  void impossibleDnssecStyleNowNamesTheOption() {
    failure("--now", "--upstream", "10.0.0.1", "--now", "20261301000000");
  }

  @Test
  void badBooleanNamesTheOption() {
    failure("--serve-stale", "--upstream", "10.0.0.1", "--serve-stale", "maybe");
  }

  @Test
  void outOfRangeNumberNamesTheOption() {
    String m = failure("--upstream-timeout", "--upstream", "10.0.0.1", "--upstream-timeout", "5");
    assertTrue(m.contains("out of range"), m);
  }

  @Test
  void nonNumericNumberNamesTheOption() {
    failure("--cache-max-ttl", "--upstream", "10.0.0.1", "--cache-max-ttl", "1h");
  }

  @Test
  void badNumberFromFileNamesTheOption() throws Exception {
    Path f = file("proxy.conf", "upstream = 10.0.0.1\nbogus-ttl = soon\n");
    failure("--bogus-ttl", "--config", f.toString());
  }

  @Test
  void badInsecureDomainNamesTheOption() {
    failure("--insecure-domain", "--upstream", "10.0.0.1", "--insecure-domain", "a..b");
  }

  // --- admin token and policy directory ---

  @Test
  void adminTokenComesFromTheEnvironmentAndMatchesOnlyItself() throws Exception {
    ProxyConfig c = load(Map.of("DNSSEC_PROXY_ADMIN_TOKEN", "s3cret"), "--upstream", "10.0.0.1");
    assertTrue(c.adminToken().orElseThrow().matches("s3cret"));
    assertFalse(c.adminToken().orElseThrow().matches("s3cre"));
    assertFalse(c.toString().contains("s3cret"), c.toString());
    assertEquals(Optional.empty(), load("--upstream", "10.0.0.1").adminToken());
  }

  @Test
  void anAdminTokenNoClientCouldSendIsRefused() {
    failure("--admin-token", "--upstream", "10.0.0.1", "--admin-token", "two words");
  }

  @Test
  void thePolicyDirectoryIsReadAtStartUp() throws Exception {
    Files.writeString(dir.resolve("mode"), "permissive\n");
    Files.writeString(dir.resolve("insecure-domains"), "corp.example\n");
    ProxyConfig c = load("--upstream", "10.0.0.1", "--policy-dir", dir.toString());
    ProxyConfig.PolicyDir p = c.policyDir().orElseThrow();
    assertEquals(dir, p.path());
    assertEquals(Optional.of("permissive\n"), p.atStart().mode());
    assertEquals(Optional.of("corp.example\n"), p.atStart().insecureDomains());
    assertEquals(Mode.ENFORCE, c.mode(), "the flag's mode is kept; the proxy applies the override");
  }

  @Test
  void thePolicyDirectoryCanComeFromTheEnvironmentOrTheConfigFile() throws Exception {
    assertTrue(load(Map.of("DNSSEC_PROXY_POLICY_DIR", dir.toString()), "--upstream", "10.0.0.1").policyDir().isPresent());
    Path conf = file("proxy.conf", "upstream = 10.0.0.1\npolicy-dir = " + dir + "\n");
    assertTrue(load("--config", conf.toString()).policyDir().isPresent());
  }

  @Test
  void aMissingPolicyDirectoryIsAConfigError() {
    String m = failure("--policy-dir", "--upstream", "10.0.0.1", "--policy-dir", dir.resolve("absent").toString());
    assertTrue(m.contains("no such directory"), m);
  }

  @Test
  void anInvalidPolicyFileAtStartUpIsAConfigErrorNamingTheFile() throws Exception {
    Files.writeString(dir.resolve("mode"), "strict");
    String m = failure("--policy-dir", "--upstream", "10.0.0.1", "--policy-dir", dir.toString());
    assertTrue(m.contains("mode: unknown mode 'strict'"), m);
  }
}
