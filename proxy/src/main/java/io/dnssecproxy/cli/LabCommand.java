package io.dnssecproxy.cli;

import io.dnssecproxy.ProxyServer;
import io.dnssecproxy.config.ConfigLoader;
import io.dnssecproxy.config.ProxyConfig;
import io.dnssecproxy.config.ProxyOptions;
import io.dnssecproxy.lab.HostileWorld;
import io.dnssecproxy.lab.LabUpstream;
import io.dnssecproxy.lab.LabWorld;
import io.dnssecproxy.observe.EventLog;
import io.dnssecproxy.upstream.UpstreamMetrics;
import io.dnssecproxy.upstream.UpstreamPool;
import io.dnssecproxy.upstream.UpstreamPoolOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lab}: the product working with no internet. Starts, in one process, a small signed
 * world with its own root (the same builder the tests use) behind an in-process recursive
 * upstream, and the proxy in front of it with that world's trust anchor, then prints dig
 * commands to try. The world's signatures are valid around a fixed date, which the proxy is told
 * with --now, the same override operators use for forensics.
 */
@Command(name = "lab", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Start a self-contained signed DNS world and the proxy in front of it, and print dig commands to try.")
public final class LabCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:5353",
      description = "Where the proxy answers (default 127.0.0.1:5353).")
  String listen;

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "enforce", description = "enforce or permissive (default enforce).")
  String mode;

  @Option(names = "--admin-listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9153",
      description = "Admin server (metrics, health); 'off' disables it.")
  String adminListen;

  @Option(names = "--world", paramLabel = "WORLD", defaultValue = "lab",
      description = "lab (default): secure, insecure and bogus names to try. hostile: KeyTrap-style zones "
          + "(colliding keys, piles of signatures and DS records, costly NSEC3, CNAME chains) beside a good "
          + "zone, for attack load tests (loadtest/attack.sh).")
  String worldName;

  /** A running lab: the world's upstream and the proxy in front of it. */
  record Running(Vertx vertx, LabUpstream upstream, ProxyServer proxy, Path trustAnchorFile) implements AutoCloseable {
    InetSocketAddress proxyAddress() {
      return proxy.boundAddresses().get(0);
    }

    @Override
    public void close() {
      vertx.close().await();
    }
  }

  /** Builds the world and starts the upstream and the proxy; the caller closes it. */
  Running start() throws Exception {
    boolean hostile = hostile();
    HostileWorld hostileWorld = hostile ? HostileWorld.get() : null;
    LabWorld labWorld = hostile ? null : LabWorld.get();
    Path anchor = hostile ? tempAnchor(hostileWorld.trustAnchorText()) : labWorld.trustAnchorFile();
    Instant now = hostile ? HostileWorld.NOW : LabWorld.NOW;
    // The same transport as the proxy proper, so that load runs against the lab measure it.
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    try {
      LabUpstream upstream = new LabUpstream(vertx, hostile ? hostileWorld.zones() : labWorld.zones()).start().await();
      if (hostile) {
        hostileWorld.hostileAnswers().forEach(upstream::respondWith);
      }
      ProxyOptions o = new ProxyOptions();
      o.listen = List.of(listen);
      o.upstream = List.of("127.0.0.1:" + upstream.port());
      o.trustAnchorFile = anchor.toString();
      o.now = now.toString();
      o.mode = mode;
      o.adminListen = adminListen;
      ProxyConfig config = ConfigLoader.build(o);
      Clock clock = Clock.systemUTC();
      ProxyServer server = new ProxyServer(config, clock, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
          v -> UpstreamPool.create(v, config.upstreams(), UpstreamPoolOptions.defaults(), UpstreamMetrics.NOOP),
          EventLog.toStdout(clock));
      vertx.deployVerticle(server).await();
      return new Running(vertx, upstream, server, anchor);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  private boolean hostile() {
    return switch (worldName) {
      case "lab" -> false;
      case "hostile" -> true;
      default -> throw new CommandLine.ParameterException(spec.commandLine(), "--world: lab or hostile, not '" + worldName + "'");
    };
  }

  private static Path tempAnchor(String text) throws IOException {
    Path file = Files.createTempFile("dnssec-hostile-anchor", ".txt");
    file.toFile().deleteOnExit();
    return Files.writeString(file, text, StandardCharsets.US_ASCII);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    out.println("building the lab world (keys, signatures)...");
    out.flush();
    Running lab = start();
    out.print(hostile()
        ? hostileInstructions(lab.proxyAddress(), mode)
        : instructions(lab.proxyAddress(), lab.upstream().port(), lab.trustAnchorFile(), mode));
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      lab.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return 0;
  }

  static String instructions(InetSocketAddress at, int upstreamPort, Path trustAnchorFile, String mode) {
    String dig = "dig @" + at.getAddress().getHostAddress() + " -p " + at.getPort();
    return String.join("\n",
        "",
        "lab: proxy on " + at.getAddress().getHostAddress() + ":" + at.getPort() + " (" + mode + " mode), lab upstream on 127.0.0.1:"
            + upstreamPort + ", validation time " + LabWorld.NOW + " (the world is signed around it)",
        "trust anchor: " + trustAnchorFile,
        "",
        "Try:",
        "  " + dig + " +dnssec www.secure.test        # secure: flags include 'ad', RRSIGs shown",
        "  " + dig + " nx.nsec3.test                   # secure NXDOMAIN proven by NSEC3",
        "  " + dig + " www.insecure.test               # unsigned delegation: answer without 'ad'",
        "  " + dig + " www.badsig.test                 # bogus: SERVFAIL with EDE 6 (DNSSEC Bogus)",
        "  " + dig + " www.expired.test                # bogus: SERVFAIL with EDE 7 (Signature Expired)",
        "  " + dig + " www.nods.test                   # bogus: SERVFAIL with EDE 9 (DNSKEY Missing)",
        "  " + dig + " +cd www.badsig.test             # checking disabled: the data, never 'ad'",
        "  java -jar proxy/target/dnssec-proxy.jar check www.nods.test --upstream 127.0.0.1:" + upstreamPort
            + " --trust-anchor-file " + trustAnchorFile + " --now " + LabWorld.NOW,
        "                                                 # the chain of trust, with the failed link marked",
        "Permissive mode: restart with 'lab --mode permissive' and ask for www.badsig.test again:",
        "the data comes back without 'ad', and a JSON line here says why it was not trusted.",
        "Ctrl-C stops everything.",
        "");
  }

  static String hostileInstructions(InetSocketAddress at, String mode) {
    String dig = "dig @" + at.getAddress().getHostAddress() + " -p " + at.getPort();
    return String.join("\n",
        "",
        "lab (hostile world): proxy on " + at.getAddress().getHostAddress() + ":" + at.getPort() + " (" + mode
            + " mode), validation time " + HostileWorld.NOW,
        "",
        "Try:",
        "  " + dig + " +dnssec www.good.hostile          # the control: secure, 'ad'",
        "  " + dig + " x1.wild.keytrap.hostile           # 64 keys sharing a tag, 32 bad RRSIGs: SERVFAIL within the work budget",
        "  " + dig + " x1.wild.manysigs.hostile          # 100 garbage RRSIGs: SERVFAIL",
        "  " + dig + " x1.wild.bigexp.hostile            # RSA keys with 4096-bit exponents: SERVFAIL, never verified with",
        "  " + dig + " c0.chain.hostile                  # a 20-link CNAME chain",
        "Attack load test (good cached queries with and without this traffic): loadtest/attack.sh",
        "Ctrl-C stops everything.",
        "");
  }
}
