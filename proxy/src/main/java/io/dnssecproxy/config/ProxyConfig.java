package io.dnssecproxy.config;

import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.policy.PolicyFiles;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * Everything the proxy needs to start, validated and immutable. Built by {@link ConfigLoader}
 * from flags, environment and file; components receive the parts they need, never a global.
 *
 * <p>{@code listenDefaulted} is true when no listen address was configured: the default IPv6
 * loopback is then skipped with a warning on hosts without IPv6 instead of failing the start.
 *
 * <p>{@code mode} and {@code insecureDomains} are what flags, environment and file say; the
 * policy directory, when there is one, overrides the mode and adds domains on top.
 */
public record ProxyConfig(
    List<InetSocketAddress> listen,
    boolean listenDefaulted,
    List<InetSocketAddress> upstreams,
    Optional<Path> trustAnchorFile,
    Mode mode,
    List<Name> insecureDomains,
    String clusterDomain,
    Optional<Instant> now,
    Set<Integer> enabledAlgorithms,
    Optional<InetSocketAddress> adminListen,
    Optional<AdminToken> adminToken,
    Optional<PolicyDir> policyDir,
    Cache cache,
    Upstream upstream,
    Server server,
    Validation validation) {

  public ProxyConfig {
    listen = List.copyOf(listen);
    upstreams = List.copyOf(upstreams);
    insecureDomains = List.copyOf(insecureDomains);
    enabledAlgorithms = Set.copyOf(enabledAlgorithms);
  }

  /** The watched policy directory and what it held at start-up (already checked). */
  public record PolicyDir(Path path, PolicyFiles atStart) {}

  /** Answer cache settings. */
  public record Cache(long maxEntries, long maxBytes, Duration maxTtl, Duration negativeMaxTtl, Duration bogusTtl,
      boolean serveStale, Duration staleAnswerTtl, Duration staleMaxAge, boolean prefetch) {}

  /** Upstream client settings. */
  public record Upstream(Duration timeout) {}

  /** Front-end settings. */
  public record Server(int maxTcpConnections, Duration tcpIdleTimeout) {}

  /** Validator settings beyond the algorithms. */
  public record Validation(Duration clockSkew, int nsec3MaxIterations, boolean hardenAlgoDowngrade, boolean aggressiveNsec) {}
}
