package io.dnssecproxy;

import io.dnssecproxy.cli.CheckCommand;
import io.dnssecproxy.cli.LabCommand;
import io.dnssecproxy.config.ConfigException;
import io.dnssecproxy.config.ConfigLoader;
import io.dnssecproxy.config.HostPort;
import io.dnssecproxy.config.ProxyConfig;
import io.dnssecproxy.config.ProxyOptions;
import io.dnssecproxy.control.ControlCommand;
import io.dnssecproxy.inject.InjectorCommand;
import io.dnssecproxy.observe.EventLog;
import io.dnssecproxy.observe.JsonLine;
import io.dnssecproxy.observe.RuntimeMetrics;
import io.dnssecproxy.observe.UpstreamMeters;
import io.dnssecproxy.observe.VertxGaugeWarningFilter;
import io.dnssecproxy.upstream.UpstreamPool;
import io.dnssecproxy.upstream.UpstreamPoolOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The command line: runs the proxy (no subcommand) with options from flags, environment and
 * config file; {@code check} traces one name, {@code lab} runs a signed test world, {@code control}
 * talks to a running proxy, {@code injector} runs the sidecar injector (admission webhook).
 * Configuration mistakes end the process with one line on stderr and exit code 2; a failure to
 * start (port in use) with one line and exit code 1. Never a stack trace.
 */
@Command(
    name = "dnssec-proxy",
    mixinStandardHelpOptions = true,
    subcommands = {CheckCommand.class, LabCommand.class, ControlCommand.class, InjectorCommand.class},
    version = "dnssec-proxy 0.1.0",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "A DNSSEC-validating DNS forwarding proxy: answers apps over UDP and TCP, forwards to an upstream resolver with DO+CD, validates the chain of trust itself, caches, and answers SERVFAIL + Extended DNS Error for bogus data (enforce) or passes it without AD (permissive).",
      "",
      "Every option can also be set in the environment (DNSSEC_PROXY_<OPTION>, e.g. DNSSEC_PROXY_UPSTREAM=10.96.0.10:53) or a config file (--config); flags win over the environment, which wins over the file.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped cleanly", "1:could not start (e.g. address in use)", "2:bad configuration or usage"})
public final class Main implements Callable<Integer> {

  static final String PROGRAM = "dnssec-proxy";

  @Mixin ProxyOptions options;

  public static void main(String[] args) {
    applyRuntimeDefaults(System.getProperties());
    System.exit(run(args, System.getenv(), new PrintWriter(System.err, true)));
  }

  /**
   * JVM system properties the proxy sets unless the command line did, each to keep memory every
   * sidecar would pay for nothing:
   *
   * <ul>
   *   <li>Netty 4.2 asks whether JFR is available when it starts, to emit its own JFR events, and
   *       that loads about a hundred {@code jdk.jfr} classes: 2 MB of RSS (110.9 against 108.8 MiB
   *       after the benchmark's workloads, two runs each). {@code -Dio.netty.jfr.enabled=true}
   *       brings Netty's events back for a JFR recording.
   *   <li>Vert.x resolves host names with a DNS client of its own (Netty's resolver and codec)
   *       unless told to use the JDK's. The proxy only binds to and sends to IP addresses, so that
   *       client is never asked anything, yet it costs about 2.5 MB of RSS after warm-up (85.4,
   *       85.3, 85.5 against 83.5, 82.7, 82.8 MiB, runs taken in turns).
   * </ul>
   */
  public static void applyRuntimeDefaults(Properties system) {
    system.putIfAbsent("io.netty.jfr.enabled", "false");
    system.putIfAbsent("vertx.disableDnsResolver", "true");
  }

  static int run(String[] args, Map<String, String> env, PrintWriter err) {
    return run(args, env, new PrintWriter(System.out, true), err);
  }

  static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    CommandLine cmd = new CommandLine(new Main());
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setParameterExceptionHandler((ex, a) -> {
      err.println(PROGRAM + ": " + ex.getMessage());
      err.println("Run '" + PROGRAM + " --help' for the options.");
      return 2;
    });
    cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
      err.println(PROGRAM + ": " + (ex instanceof ConfigException ? "" : "error: ") + ex.getMessage());
      return ex instanceof ConfigException ? 2 : 1;
    });
    try {
      Properties file = ConfigLoader.readConfigFile(args, env, cmd);
      ConfigLoader.installDefaults(cmd, env, file);
    } catch (ConfigException e) {
      err.println(PROGRAM + ": " + e.getMessage());
      return 2;
    }
    return cmd.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    ProxyConfig config = ConfigLoader.build(options);
    Clock clock = Clock.systemUTC();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RuntimeMetrics.bindTo(registry);
    VertxGaugeWarningFilter.install();
    Vertx vertx = Vertx.builder()
        // No Vert.x datagram metrics: they time and record every packet (a clock read and two
        // summary updates per query, ~10% of a cache hit in perf); the proxy counts its own.
        .with(new VertxOptions().setPreferNativeTransport(true)
            .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    ProxyServer server = new ProxyServer(config, clock, registry,
        v -> UpstreamPool.create(v, config.upstreams(),
            UpstreamPoolOptions.defaults().withTryTimeout(config.upstream().timeout()), new UpstreamMeters(registry, config.upstreams())), EventLog.toStdout(clock));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      vertx.close().toCompletionStage().toCompletableFuture().join();
      stopped.countDown();
    }, "shutdown"));
    try {
      vertx.deployVerticle(server).await();
    } catch (Exception e) {
      vertx.close();
      throw new StartupException("could not start: " + rootMessage(e));
    }
    System.out.println(new JsonLine(clock.instant(), "started")
        .field("listen", server.describeListeners())
        .field("mode", server.mode().get().tag())
        .field("transport", transportName(vertx))
        .field("admin", server.adminPort() < 0 ? "off" : HostPort.format(new InetSocketAddress(config.adminListen().get().getAddress(), server.adminPort())))
        .field("changes", server.controlAccess())
        .field("policyDir", config.policyDir().map(d -> d.path().toString()).orElse(null))
        .field("anchors", config.trustAnchorFile().map(Object::toString).orElse("built-in root KSKs")));
    stopped.await();
    return 0;
  }

  /** "epoll", or "nio" with the reason the native transport did not load (it costs CPU per query). */
  static String transportName(Vertx vertx) {
    if (vertx.isNativeTransportEnabled()) {
      return "epoll";
    }
    Throwable why = vertx.unavailableNativeTransportCause();
    return why == null ? "nio" : "nio (epoll unavailable: " + rootMessage(why) + ")";
  }

  /** The outermost message that says something: our own exceptions name the address and the cause. */
  private static String rootMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e.toString();
  }

  /** A failure to start that is not a configuration mistake. */
  static final class StartupException extends Exception {
    StartupException(String message) {
      super(message, null, false, false);
    }
  }
}
