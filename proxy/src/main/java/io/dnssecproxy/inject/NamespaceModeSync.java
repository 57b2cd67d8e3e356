package io.dnssecproxy.inject;

import io.dnssecproxy.observe.JsonLine;
import io.dnssecproxy.policy.Mode;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The live switch: watches the namespaces labelled {@code dnssec-proxy.io/inject=enabled} and
 * keeps each one's policy ConfigMap {@code mode} equal to its {@code dnssec-proxy.io/mode}
 * label (the default mode when the label is missing or unknown). The sidecars already follow
 * that ConfigMap (--policy-dir), so application pods need no API token and no RBAC.
 *
 * <p>A flip reaches the proxies in: the watch event (well under a second) + the kubelet's
 * refresh of ConfigMap volumes (its sync period and cache TTL, about a minute by default, up
 * to ~90 s) + the proxy's 2 s poll. The informer's resync re-checks every labelled namespace
 * each period, which repairs a ConfigMap edited or deleted behind the injector's back.
 * Namespaces without the inject label, or that lose it, are never touched.
 */
public final class NamespaceModeSync implements AutoCloseable {

  private final KubernetesClient client;
  private final PolicyConfigMap configMaps;
  private final Mode defaultMode;
  private final Duration resync;
  private final InjectorMetrics metrics;
  private final Consumer<String> log;
  private final Clock clock;
  private SharedIndexInformer<Namespace> informer;

  public NamespaceModeSync(KubernetesClient client, String configMapName, Mode defaultMode, Duration resync,
      InjectorMetrics metrics, Consumer<String> log, Clock clock) {
    this.client = client;
    this.configMaps = new PolicyConfigMap(client, configMapName);
    this.defaultMode = defaultMode;
    this.resync = resync;
    this.metrics = metrics;
    this.log = log;
    this.clock = clock;
  }

  /** The mode a namespace's labels ask for. */
  static Mode desiredMode(Map<String, String> labels, Mode defaultMode) {
    String label = labels == null ? null : labels.get(InjectionNames.MODE_LABEL);
    if (label == null) {
      return defaultMode;
    }
    try {
      return Mode.parse(label);
    } catch (IllegalArgumentException e) {
      return defaultMode;
    }
  }

  /**
   * Starts watching and returns at once: the first list, and every later failure, is retried in
   * the background (an API server that is down at start must not keep the webhook from serving).
   */
  public void start() {
    informer = client.namespaces().withLabel(InjectionNames.INJECT_LABEL, InjectionNames.INJECT_ENABLED)
        .runnableInformer(resync.toMillis());
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Namespace ns) {
        reconcile(ns);
      }

      @Override
      public void onUpdate(Namespace before, Namespace after) {
        reconcile(after); // also every resync period, with before == after
      }

      @Override
      public void onDelete(Namespace ns, boolean finalStateUnknown) {
        // label removed or namespace gone: leave its ConfigMap to the pods still using it
      }
    });
    informer.exceptionHandler((started, error) -> {
      log.accept(new JsonLine(clock.instant(), "namespace-watch-failed").field("error", String.valueOf(error.getMessage()))
          .field("retrying", "true").toString());
      return true;
    });
    informer.start();
  }

  /** True once the first list of namespaces has been handled. */
  public boolean hasSynced() {
    return informer != null && informer.hasSynced();
  }

  void reconcile(Namespace ns) {
    String namespace = ns.getMetadata().getName();
    Map<String, String> labels = ns.getMetadata().getLabels();
    Mode mode = desiredMode(labels, defaultMode);
    try {
      PolicyConfigMap.Outcome outcome = configMaps.ensureMode(namespace, mode);
      metrics.sync(outcome.result());
      if (outcome.result() != InjectorMetrics.Sync.UNCHANGED) {
        String label = labels == null ? null : labels.get(InjectionNames.MODE_LABEL);
        log.accept(new JsonLine(clock.instant(), "policy-sync").field("namespace", namespace).field("configmap", configMaps.name())
            .field("result", outcome.result().name().toLowerCase()).field("from", outcome.before().map(Mode::tag).orElse(null))
            .field("to", mode.tag()).field("label", label).toString());
      }
    } catch (RuntimeException e) {
      metrics.sync(InjectorMetrics.Sync.FAILED);
      log.accept(new JsonLine(clock.instant(), "policy-sync-failed").field("namespace", namespace)
          .field("error", String.valueOf(e.getMessage())).toString());
    }
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
