package io.dnssecproxy.conformance;

import io.dnssecproxy.ProxyServer;
import io.dnssecproxy.config.ConfigLoader;
import io.dnssecproxy.config.ProxyConfig;
import io.dnssecproxy.config.ProxyOptions;
import io.dnssecproxy.observe.EventLog;
import io.dnssecproxy.upstream.UpstreamMetrics;
import io.dnssecproxy.upstream.UpstreamPool;
import io.dnssecproxy.upstream.UpstreamPoolOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real proxy under the conformance harness: configured only through its public options
 * (the same ones the command line takes), started in-process on 127.0.0.1 with a free port.
 * DSA (3, 6) is switched on with --enable-algorithm, as the scenarios need; no minimum RSA key
 * size exists to lower; unbound's {@code domain-insecure} maps to --insecure-domain.
 */
final class ProxyForwarder implements ValidatingForwarderUnderTest {

  /** With -Dconformance.trace=true the proxy's event log (verdict reasons) goes to stderr. */
  private static final boolean TRACE = Boolean.getBoolean("conformance.trace");

  private static boolean hasAnchors(java.nio.file.Path file) {
    try {
      return java.nio.file.Files.readAllLines(file).stream().map(String::trim).anyMatch(l -> !l.isEmpty() && !l.startsWith(";"));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Override
  public Future<Endpoint> start(Vertx vertx, ForwarderOptions options) {
    ProxyOptions o = new ProxyOptions();
    o.listen = List.of("127.0.0.1:0");
    o.upstream = List.of(options.upstream().getAddress().getHostAddress() + ":" + options.upstream().getPort());
    if (hasAnchors(options.trustAnchorFile())) {
      o.trustAnchorFile = options.trustAnchorFile().toString();
    } else {
      // No anchors in the scenario: nothing can be secure. The proxy refuses an empty anchor
      // file (a likely mistake), so say it the explicit way: the whole tree is insecure.
      o.insecureDomain = new ArrayList<>(List.of("."));
    }
    o.now = Long.toString(options.validationTime().getEpochSecond());
    o.mode = "enforce";
    o.adminListen = "off";
    List<String> algorithms = new ArrayList<>();
    for (int a : options.extraAlgorithms()) {
      algorithms.add(Integer.toString(a));
    }
    algorithms.add("12"); // ECC-GOST, for the GOST scenarios: BouncyCastle implements it
    o.enableAlgorithm = algorithms;
    List<String> insecure = new ArrayList<>();
    for (Map.Entry<String, String> e : options.scenarioOptions()) {
      if (e.getKey().equals("domain-insecure")) {
        insecure.add(e.getValue().replace("\"", "").trim());
      }
    }
    insecure.addAll(o.insecureDomain);
    o.insecureDomain = insecure;
    o.hardenAlgoDowngrade = Boolean.toString(options.hardenAlgoDowngrade());
    String aggressive = options.scenarioOption("aggressive-nsec");
    o.aggressiveNsec = aggressive != null && aggressive.replace("\"", "").trim().equals("no") ? "false" : "true";
    String keysizeIterations = options.scenarioOption("val-nsec3-keysize-iterations");
    if (keysizeIterations != null) {
      // Unbound's per-key-size limits ("1024 100 2048 200 ..."); the proxy has one limit: the smallest.
      String[] parts = keysizeIterations.replace("\"", "").trim().split("\\s+");
      int min = Integer.MAX_VALUE;
      for (int i = 1; i < parts.length; i += 2) {
        min = Math.min(min, Integer.parseInt(parts[i]));
      }
      o.nsec3MaxIterations = Integer.toString(min);
    }
    ProxyConfig config;
    try {
      config = ConfigLoader.build(o);
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
    Clock clock = Clock.systemUTC();
    ProxyServer server = new ProxyServer(config, clock, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        v -> UpstreamPool.create(v, config.upstreams(),
            UpstreamPoolOptions.defaults().withTryTimeout(Duration.ofMillis(500)).withQuestionBudget(Duration.ofMillis(1000)),
            UpstreamMetrics.NOOP),
        new EventLog(TRACE ? System.err::println : line -> { }, clock, Duration.ofSeconds(10)));
    return vertx.deployVerticle(server).map(id -> new Endpoint() {
      @Override
      public InetSocketAddress address() {
        return server.boundAddresses().get(0);
      }

      @Override
      public Future<Void> close() {
        return vertx.undeploy(id);
      }
    });
  }
}
