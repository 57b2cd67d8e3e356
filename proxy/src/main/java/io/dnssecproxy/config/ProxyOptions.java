package io.dnssecproxy.config;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The proxy's settings as the command line spells them. Every option can also come from the
 * environment ({@code DNSSEC_PROXY_<NAME>}, e.g. DNSSEC_PROXY_UPSTREAM) or the config file
 * (a line {@code name = value}); flags win over the environment, which wins over the file. Lists
 * are comma-separated outside the command line. Values stay strings here: {@link ConfigLoader}
 * checks them all and reports the first mistake in one line.
 */
public final class ProxyOptions {

  @Option(names = "--listen", paramLabel = "HOST:PORT", split = ",",
      description = "Address to answer DNS on, UDP and TCP (repeatable). Default: 127.0.0.1:53 and [::1]:53. Port 0 picks a free port.")
  public List<String> listen = new ArrayList<>();

  @Option(names = "--upstream", paramLabel = "HOST:PORT", split = ",",
      description = "Upstream resolver, an IP address with optional port (default 53); repeatable, in order of preference. Required.")
  public List<String> upstream = new ArrayList<>();

  @Option(names = "--trust-anchor-file", paramLabel = "FILE",
      description = "DS and/or DNSKEY records in zone-file format; replaces the built-in root anchors (KSK-2017, KSK-2024).")
  public String trustAnchorFile;

  @Option(names = "--mode", paramLabel = "MODE",
      description = "enforce (bogus answers become SERVFAIL + EDE) or permissive (bogus answers pass without AD and are logged). Default: enforce.")
  public String mode;

  @Option(names = "--insecure-domain", paramLabel = "NAME", split = ",",
      description = "Domain not to validate (negative trust anchor), added to the defaults (cluster domain, local., internal., home.arpa., private reverse zones). Repeatable.")
  public List<String> insecureDomain = new ArrayList<>();

  @Option(names = "--cluster-domain", paramLabel = "NAME",
      description = "The Kubernetes cluster domain, treated as insecure. Default: cluster.local.")
  public String clusterDomain;

  @Option(names = "--now", paramLabel = "TIME",
      description = "Validate signatures as of this time (Unix seconds or ISO-8601), for tests and forensics. Default: the real clock.")
  public String now;

  @Option(names = "--enable-algorithm", paramLabel = "N", split = ",",
      description = "Also accept DNSSEC algorithm N (3 DSA, 6 DSA-NSEC3-SHA1, 12 ECC-GOST), off by default per RFC 8624. Repeatable.")
  public List<String> enableAlgorithm = new ArrayList<>();

  @Option(names = "--admin-listen", paramLabel = "HOST:PORT",
      description = "Address of the admin HTTP server (metrics, health). Default: 127.0.0.1:9153. 'off' disables it.")
  public String adminListen;

  @Option(names = "--admin-token", paramLabel = "TOKEN",
      description = "Bearer token the control API requires for changes (Authorization: Bearer TOKEN). Without it, changes are allowed only when the admin server listens on loopback. Prefer the environment (DNSSEC_PROXY_ADMIN_TOKEN) to the command line.")
  public String adminToken;

  @Option(names = "--policy-dir", paramLabel = "DIR",
      description = "Directory (a mounted ConfigMap) with the files 'mode' and 'insecure-domains'; read at start-up and watched: edits apply within a few seconds. Its mode overrides --mode, its domains are added.")
  public String policyDir;

  @Option(names = "--cache-max-entries", paramLabel = "N", description = "Answer cache capacity in entries. Default: 50000.")
  public String cacheMaxEntries;

  @Option(names = "--cache-max-bytes", paramLabel = "BYTES",
      description = "Heap the answer cache may use, estimated per entry; suffixes k, m, g. Default: 32m.")
  public String cacheMaxBytes;

  @Option(names = "--cache-max-ttl", paramLabel = "SECONDS", description = "Longest time an answer is cached. Default: 86400.")
  public String cacheMaxTtl;

  @Option(names = "--cache-negative-max-ttl", paramLabel = "SECONDS", description = "Longest time an NXDOMAIN/NODATA answer is cached (RFC 2308). Default: 3600.")
  public String cacheNegativeMaxTtl;

  @Option(names = "--bogus-ttl", paramLabel = "SECONDS", description = "How long a bogus answer (and a bad zone key) is remembered. Default: 60.")
  public String bogusTtl;

  @Option(names = "--serve-stale", paramLabel = "BOOL", description = "Answer from expired cache entries when every upstream fails (RFC 8767). Default: true.")
  public String serveStale;

  @Option(names = "--stale-answer-ttl", paramLabel = "SECONDS", description = "TTL given to a stale answer. Default: 30.")
  public String staleAnswerTtl;

  @Option(names = "--stale-max-age", paramLabel = "SECONDS", description = "How long past expiry an entry may still be served stale. Default: 86400.")
  public String staleMaxAge;

  @Option(names = "--prefetch", paramLabel = "BOOL", description = "Refresh a cached answer from the upstream when it is asked for in the last tenth of its TTL, so names in use do not expire. Default: true.")
  public String prefetch;

  @Option(names = "--upstream-timeout", paramLabel = "MILLIS", description = "Timeout of one upstream try (UDP plus any TCP retry); a question gets at most 2 tries within 2 s. Default: 1200.")
  public String upstreamTimeout;

  @Option(names = "--max-tcp-connections", paramLabel = "N", description = "Cap on open client TCP connections. Default: 256.")
  public String maxTcpConnections;

  @Option(names = "--tcp-idle-timeout", paramLabel = "SECONDS", description = "Idle client TCP connections are closed after this. Default: 10.")
  public String tcpIdleTimeout;

  @Option(names = "--clock-skew", paramLabel = "SECONDS", description = "Allowance for clock skew at RRSIG validity window edges. Default: 300.")
  public String clockSkew;

  @Option(names = "--nsec3-max-iterations", paramLabel = "N", description = "NSEC3 iteration counts above this make a denial insecure with EDE 27 (RFC 9276). Default: 150.")
  public String nsec3MaxIterations;

  @Option(names = "--aggressive-nsec", paramLabel = "BOOL",
      description = "Answer NXDOMAIN/NODATA from validated NSEC records already held, without asking the upstream (RFC 8198). Default: true.")
  public String aggressiveNsec;

  @Option(names = "--harden-algo-downgrade", paramLabel = "BOOL",
      description = "Require every algorithm in a zone's DS set to validate, and use only the strongest DS digest type. Default: false (one good algorithm suffices, as in Unbound).")
  public String hardenAlgoDowngrade;

  @Option(names = "--allow-non-loopback", paramLabel = "BOOL",
      description = "Allow --listen on an address other than loopback (0.0.0.0 and :: included). Off by default: such a proxy answers anyone who can reach it, an open resolver.")
  public String allowNonLoopback;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Config file of 'name = value' lines, names as the long options without dashes. Also DNSSEC_PROXY_CONFIG.")
  public String config;
}
