package io.dnssecproxy.inject;

import io.dnssecproxy.config.ConfigException;
import io.dnssecproxy.config.HostPort;
import io.dnssecproxy.observe.JsonLine;
import io.dnssecproxy.policy.Mode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dnssec-proxy injector}: the sidecar injector, a mutating admission webhook over HTTPS,
 * plus the namespace-label-to-ConfigMap sync. Its options, like the proxy's, can also come from
 * DNSSEC_PROXY_* environment variables (DNSSEC_PROXY_WEBHOOK_LISTEN for --webhook-listen).
 */
@Command(
    name = "injector",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    subcommands = {RenderPatchCommand.class},
    description = {
      "Mutating admission webhook that adds the dnssec-proxy sidecar to new pods in namespaces labelled "
          + InjectionNames.INJECT_LABEL + "=" + InjectionNames.INJECT_ENABLED + ", and keeps each such namespace's policy ConfigMap "
          + "'mode' equal to its " + InjectionNames.MODE_LABEL + " label.",
      "Pod annotations: " + InjectionNames.MODE_ANNOTATION + "=enforce|permissive pins one pod's mode; "
          + InjectionNames.INJECT_ANNOTATION + "=false keeps the sidecar out.",
      "Try a review offline with: dnssec-proxy injector render-patch --sidecar-template FILE REVIEW.json",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped cleanly", "1:could not start", "2:bad configuration"})
public final class InjectorCommand implements Callable<Integer> {

  @Option(names = "--webhook-listen", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:8443",
      description = "HTTPS address of POST /mutate, /healthz, /readyz and /metrics. Default: ${DEFAULT-VALUE}.")
  String listen;

  @Option(names = "--tls-cert-file", paramLabel = "FILE", description = "PEM certificate (chain) of the webhook; re-read every 10 s.")
  Path certFile;

  @Option(names = "--tls-key-file", paramLabel = "FILE", description = "PEM private key of the webhook; re-read with the certificate.")
  Path keyFile;

  @Option(names = "--sidecar-template", paramLabel = "FILE", description = "What to add to pods: the JSON the Helm chart renders (sidecar.json).")
  Path template;

  @Option(names = "--policy-configmap", paramLabel = "NAME", defaultValue = "dnssec-proxy-policy",
      description = "The per-namespace policy ConfigMap kept in step with the mode label. Default: ${DEFAULT-VALUE}.")
  String policyConfigMap;

  @Option(names = "--default-mode", paramLabel = "enforce|permissive", defaultValue = "enforce",
      description = "Mode written for a labelled namespace without a valid " + InjectionNames.MODE_LABEL + " label. Default: ${DEFAULT-VALUE}.")
  String defaultMode;

  @Option(names = "--sync-namespaces", paramLabel = "BOOL", defaultValue = "true", arity = "1",
      description = "Follow the namespaces' mode labels through the Kubernetes API (in-cluster credentials). Default: ${DEFAULT-VALUE}.")
  boolean syncNamespaces;

  @Option(names = "--resync-period", paramLabel = "SECONDS", defaultValue = "60",
      description = "How often every labelled namespace's ConfigMap is re-checked besides the watch. Default: ${DEFAULT-VALUE}.")
  long resyncSeconds;

  @Override
  public Integer call() throws Exception {
    Settings s = settings();
    Clock clock = Clock.systemUTC();
    Consumer<String> log = System.out::println;
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    InjectorMetrics metrics = new InjectorMetrics(registry);
    KubernetesClient client = s.sync() ? new KubernetesClientBuilder().build() : null;
    NamespaceModeSync sync = client == null ? null
        : new NamespaceModeSync(client, policyConfigMap, s.defaultMode(), Duration.ofSeconds(resyncSeconds), metrics, log, clock);
    Vertx vertx = Vertx.vertx();
    WebhookServer server = new WebhookServer(vertx, s.listen(), new TlsFiles(certFile, keyFile),
        new AdmissionHandler(s.template(), metrics, log, clock), registry,
        () -> sync == null ? "off" : sync.hasSynced() ? "synced" : "listing namespaces", log, clock);
    if (sync != null) {
      Gauge.builder("dnssec_proxy_injector_namespace_sync_ready", () -> sync.hasSynced() ? 1 : 0)
          .description("1 once the labelled namespaces have been listed; 0 while the API server cannot be reached").register(registry);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (sync != null) {
        sync.close();
        client.close();
      }
      vertx.close().toCompletionStage().toCompletableFuture().join();
      stopped.countDown();
    }, "shutdown"));
    try {
      server.start(Duration.ofSeconds(10)).await();
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("could not start: " + e.getMessage(), e);
    }
    if (sync != null) {
      sync.start();
    }
    log.accept(new JsonLine(clock.instant(), "injector-started")
        .field("listen", HostPort.format(new InetSocketAddress(s.listen().getAddress(), server.actualPort())))
        .field("sidecarTemplate", template.toString())
        .field("policyConfigMap", s.sync() ? policyConfigMap : null)
        .field("defaultMode", s.defaultMode().tag()).toString());
    stopped.await();
    return 0;
  }

  /** The options, checked; every mistake is one line and exit code 2. */
  record Settings(InetSocketAddress listen, SidecarTemplate template, Mode defaultMode, boolean sync) {}

  Settings settings() throws ConfigException {
    if (certFile == null || keyFile == null) {
      throw new ConfigException("--tls-cert-file and --tls-key-file are required (the API server calls webhooks over HTTPS only)");
    }
    if (template == null) {
      throw new ConfigException("--sidecar-template is required (the chart renders it as sidecar.json)");
    }
    InetSocketAddress address;
    try {
      address = HostPort.parse(listen, 8443);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--webhook-listen: " + e.getMessage());
    }
    Mode mode;
    try {
      mode = Mode.parse(defaultMode);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--default-mode: " + e.getMessage());
    }
    if (resyncSeconds < 1) {
      throw new ConfigException("--resync-period: must be at least 1 second");
    }
    SidecarTemplate parsed;
    try {
      parsed = SidecarTemplate.read(template);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--sidecar-template " + e.getMessage());
    }
    return new Settings(address, parsed, mode, syncNamespaces);
  }
}
