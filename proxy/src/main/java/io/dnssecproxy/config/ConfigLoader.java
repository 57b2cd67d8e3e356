package io.dnssecproxy.config;

import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.policy.PolicyFiles;
import io.dnssecproxy.policy.PolicyText;
import io.dnssecproxy.validation.AlgorithmPolicy;
import java.io.IOException;
import java.io.Reader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Turns the raw option strings into a checked {@link ProxyConfig}. Every mistake becomes a
 * {@link ConfigException} whose message names the option and the bad value, so start-up fails
 * with one line an operator can act on.
 */
public final class ConfigLoader {

  static final int DNS_PORT = 53;

  private ConfigLoader() {}

  /** The config file named by --config (or DNSSEC_PROXY_CONFIG), read; empty when there is none. */
  public static Properties readConfigFile(String[] args, Map<String, String> env, CommandLine commandSpec) throws ConfigException {
    String path = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        path = args[i + 1];
      } else if (args[i].startsWith("--config=")) {
        path = args[i].substring("--config=".length());
      }
    }
    if (path == null) {
      path = env.get(LayeredDefaults.ENV_PREFIX + "CONFIG");
    }
    Properties props = new Properties();
    if (path == null || path.isBlank()) {
      return props;
    }
    try (Reader r = Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8)) {
      props.load(r);
    } catch (IOException | InvalidPathException e) {
      throw new ConfigException("cannot read config file " + path + ": " + describe(e));
    }
    Set<String> known = new TreeSet<>();
    for (OptionSpec o : commandSpec.getCommandSpec().options()) {
      if (o.longestName().startsWith("--")) {
        known.add(LayeredDefaults.fileKey(o.longestName()));
      }
    }
    for (String key : props.stringPropertyNames()) {
      if (!known.contains(key) || key.equals("config")) {
        throw new ConfigException("config file " + path + ": unknown setting '" + key + "'");
      }
    }
    return props;
  }

  /** Installs the environment and file as fallbacks for every option of {@code cmd}. */
  public static void installDefaults(CommandLine cmd, Map<String, String> env, Properties file) {
    cmd.setDefaultValueProvider(new LayeredDefaults(env, file));
  }

  public static ProxyConfig build(ProxyOptions o) throws ConfigException {
    List<InetSocketAddress> listen = addresses("--listen", o.listen, List.of("127.0.0.1:53", "[::1]:53"));
    if (o.upstream.isEmpty()) {
      throw new ConfigException("no upstream resolver configured: give --upstream HOST:PORT (e.g. the cluster DNS service IP), or try 'dnssec-proxy lab'");
    }
    List<InetSocketAddress> upstreams = addresses("--upstream", o.upstream, List.of());
    for (InetSocketAddress u : upstreams) {
      if (u.getPort() == 0) {
        throw new ConfigException("--upstream " + HostPort.format(u) + ": port 0 is not a server port");
      }
      for (InetSocketAddress l : listen) {
        if (loopsBack(l, u)) {
          throw new ConfigException("--upstream " + HostPort.format(u) + " is this proxy's own listen address " + HostPort.format(l) + ": queries would loop");
        }
      }
    }
    requireLoopback(listen, bool("--allow-non-loopback", o.allowNonLoopback, false));
    Optional<Path> anchors = Optional.empty();
    if (o.trustAnchorFile != null) {
      Path p = Path.of(o.trustAnchorFile);
      try {
        io.dnssecproxy.validation.TrustAnchors.fromFile(p);
      } catch (IOException e) {
        String why = describe(e); // TrustAnchors' own messages already start with the file name
        throw new ConfigException("--trust-anchor-file " + (why.startsWith(o.trustAnchorFile + ":") ? why : o.trustAnchorFile + ": " + why));
      }
      anchors = Optional.of(p);
    }
    Mode mode;
    try {
      mode = o.mode == null ? Mode.ENFORCE : Mode.parse(o.mode);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--mode: " + e.getMessage());
    }
    List<Name> insecure = new ArrayList<>();
    for (String d : o.insecureDomain) {
      insecure.add(domain("--insecure-domain", d));
    }
    String clusterDomain = o.clusterDomain == null ? "cluster.local." : domain("--cluster-domain", o.clusterDomain).toString();
    Optional<Instant> now = Optional.empty();
    if (o.now != null) {
      try {
        now = Optional.of(TimeParser.parse(o.now));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--now: " + e.getMessage());
      }
    }
    Set<Integer> algorithms = new LinkedHashSet<>();
    for (String a : o.enableAlgorithm) {
      algorithms.add(integer("--enable-algorithm", a, 0, 255));
    }
    try {
      AlgorithmPolicy.withEnabled(algorithms);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--enable-algorithm: " + e.getMessage());
    }
    Optional<InetSocketAddress> admin = Optional.of(new InetSocketAddress("127.0.0.1", 9153));
    if (o.adminListen != null) {
      admin = o.adminListen.trim().equalsIgnoreCase("off") ? Optional.empty() : Optional.of(address("--admin-listen", o.adminListen, 9153));
    }
    Optional<AdminToken> adminToken = Optional.empty();
    if (o.adminToken != null) {
      // A header value cannot carry spaces or control characters; refuse a token no client could send.
      if (o.adminToken.isEmpty() || !o.adminToken.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new ConfigException("--admin-token: must be printable ASCII without spaces");
      }
      adminToken = Optional.of(new AdminToken(o.adminToken));
    }
    Optional<ProxyConfig.PolicyDir> policyDir = Optional.empty();
    if (o.policyDir != null) {
      policyDir = Optional.of(policyDir(o.policyDir));
    }
    ProxyConfig.Cache cache = new ProxyConfig.Cache(
        integer("--cache-max-entries", o.cacheMaxEntries, 50_000, 1, Integer.MAX_VALUE),
        bytes("--cache-max-bytes", o.cacheMaxBytes, 32L << 20),
        seconds("--cache-max-ttl", o.cacheMaxTtl, 86_400),
        seconds("--cache-negative-max-ttl", o.cacheNegativeMaxTtl, 3_600),
        seconds("--bogus-ttl", o.bogusTtl, 60),
        bool("--serve-stale", o.serveStale, true),
        seconds("--stale-answer-ttl", o.staleAnswerTtl, 30),
        seconds("--stale-max-age", o.staleMaxAge, 86_400),
        bool("--prefetch", o.prefetch, true));
    ProxyConfig.Upstream upstream = new ProxyConfig.Upstream(
        Duration.ofMillis(integer("--upstream-timeout", o.upstreamTimeout, 1200, 10, 60_000)));
    ProxyConfig.Server server = new ProxyConfig.Server(
        integer("--max-tcp-connections", o.maxTcpConnections, 256, 1, 1_000_000),
        seconds("--tcp-idle-timeout", o.tcpIdleTimeout, 10));
    ProxyConfig.Validation validation = new ProxyConfig.Validation(
        seconds("--clock-skew", o.clockSkew, 300),
        integer("--nsec3-max-iterations", o.nsec3MaxIterations, 150, 0, 65_535),
        bool("--harden-algo-downgrade", o.hardenAlgoDowngrade, false),
        bool("--aggressive-nsec", o.aggressiveNsec, true));
    return new ProxyConfig(listen, o.listen.isEmpty(), upstreams, anchors, mode, insecure, clusterDomain, now, algorithms, admin,
        adminToken, policyDir,
        cache, upstream, server, validation);
  }

  /** The policy directory must exist at start-up and hold valid files; a missing file is fine. */
  private static ProxyConfig.PolicyDir policyDir(String value) throws ConfigException {
    Path dir;
    try {
      dir = Path.of(value);
    } catch (InvalidPathException e) {
      throw new ConfigException("--policy-dir " + value + ": not a path");
    }
    if (!Files.isDirectory(dir)) {
      throw new ConfigException("--policy-dir " + value + ": no such directory");
    }
    PolicyFiles files;
    try {
      files = PolicyFiles.read(dir);
    } catch (IOException e) {
      throw new ConfigException("--policy-dir " + value + ": " + describe(e));
    }
    try {
      PolicyText.parse(files);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--policy-dir " + value + ": " + e.getMessage());
    }
    return new ProxyConfig.PolicyDir(dir, files);
  }

  /**
   * A sidecar serves the apps of its own pod over loopback. Any other address (the wildcard
   * 0.0.0.0 or :: included) lets whoever reaches it use the proxy as an open resolver, a tool for
   * amplification attacks, so it takes an explicit flag.
   */
  private static void requireLoopback(List<InetSocketAddress> listen, boolean allowed) throws ConfigException {
    for (InetSocketAddress l : listen) {
      if (!allowed && !l.getAddress().isLoopbackAddress()) {
        throw new ConfigException("--listen " + HostPort.format(l)
            + " is not a loopback address: anyone who reaches it could use this proxy as an open resolver; add --allow-non-loopback if that is intended");
      }
    }
  }

  /**
   * Whether queries sent to {@code upstream} would arrive at our own socket bound to
   * {@code listen}. A wildcard listener (0.0.0.0, or :: which is dual-stack) receives what is sent
   * to any address of this host, so only such addresses loop, not every upstream on that port.
   */
  static boolean loopsBack(InetSocketAddress listen, InetSocketAddress upstream) {
    if (listen.getPort() != upstream.getPort()) {
      return false;
    }
    InetAddress l = listen.getAddress();
    InetAddress u = upstream.getAddress();
    if (l.equals(u) || u.isAnyLocalAddress()) {
      return true; // sending to 0.0.0.0 or :: reaches this host
    }
    if (!l.isAnyLocalAddress() || (l instanceof Inet4Address && !(u instanceof Inet4Address))) {
      return false;
    }
    return u.isLoopbackAddress() || isAddressOfThisHost(u);
  }

  private static boolean isAddressOfThisHost(InetAddress a) {
    try {
      return NetworkInterface.getByInetAddress(a) != null;
    } catch (SocketException e) {
      return false;
    }
  }

  private static List<InetSocketAddress> addresses(String option, List<String> values, List<String> defaults) throws ConfigException {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String v : values.isEmpty() ? defaults : values) {
      out.add(address(option, v, DNS_PORT));
    }
    return out;
  }

  private static InetSocketAddress address(String option, String value, int defaultPort) throws ConfigException {
    try {
      return HostPort.parse(value, defaultPort);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(option + ": " + e.getMessage());
    }
  }

  private static Name domain(String option, String value) throws ConfigException {
    try {
      return Name.fromString(value.trim(), Name.root).canonicalize();
    } catch (TextParseException e) {
      throw new ConfigException(option + ": '" + value + "' is not a domain name (" + e.getMessage() + ")");
    }
  }

  private static int integer(String option, String value, int min, int max) throws ConfigException {
    try {
      int n = Integer.parseInt(value.trim());
      if (n < min || n > max) {
        throw new ConfigException(option + ": " + n + " is out of range " + min + "-" + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(option + ": '" + value + "' is not a whole number");
    }
  }

  private static int integer(String option, String value, int dflt, int min, int max) throws ConfigException {
    return value == null ? dflt : integer(option, value, min, max);
  }

  /** A size in bytes with an optional k, m or g suffix (powers of 1024). */
  private static long bytes(String option, String value, long dflt) throws ConfigException {
    if (value == null) {
      return dflt;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
      unit = v.endsWith("k") ? 1L << 10 : v.endsWith("m") ? 1L << 20 : 1L << 30;
      v = v.substring(0, v.length() - 1);
    }
    try {
      long n = Long.parseLong(v);
      if (n < 1 || n > (1L << 40) / unit) {
        throw new ConfigException(option + ": '" + value + "' is out of range");
      }
      return n * unit;
    } catch (NumberFormatException e) {
      throw new ConfigException(option + ": '" + value + "' is not a size (e.g. 32m)");
    }
  }

  private static Duration seconds(String option, String value, int dflt) throws ConfigException {
    return Duration.ofSeconds(integer(option, value, dflt, 0, Integer.MAX_VALUE));
  }

  private static boolean bool(String option, String value, boolean dflt) throws ConfigException {
    if (value == null) {
      return dflt;
    }
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1":
        return true;
      case "false", "no", "off", "0":
        return false;
      default:
        throw new ConfigException(option + ": '" + value + "' is not true or false");
    }
  }

  private static String describe(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage();
  }
}
