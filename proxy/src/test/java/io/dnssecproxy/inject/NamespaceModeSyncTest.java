package io.dnssecproxy.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.testing.Eventually;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The label-to-ConfigMap sync against fabric8's in-process API server (CRUD mode, on loopback). */
@EnableKubernetesMockClient(crud = true)
class NamespaceModeSyncTest {

  private static final String POLICY = "dnssec-proxy-policy";
  /** The mock server logs every request at INFO; held here so the setting is not collected away. */
  private static final java.util.logging.Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  KubernetesClient client;

  private final List<String> log = new CopyOnWriteArrayList<>();
  private final InjectorMetrics metrics = new InjectorMetrics(new SimpleMeterRegistry());
  private NamespaceModeSync sync;

  @AfterEach
  void stop() {
    if (sync != null) {
      sync.close();
    }
  }

  private void startSync(Mode defaultMode, Duration resync) {
    sync = new NamespaceModeSync(client, POLICY, defaultMode, resync, metrics, log::add, Clock.systemUTC());
    sync.start();
    await(sync::hasSynced, "the informer lists the namespaces");
  }

  private void namespace(String name, Map<String, String> labels) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build()).create();
  }

  private void relabel(String name, Map<String, String> labels) {
    client.namespaces().withName(name).edit(ns -> new NamespaceBuilder(ns).editMetadata().withLabels(labels).endMetadata().build());
  }

  private void policy(String namespace, Map<String, String> data) {
    client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
        .withNewMetadata().withName(POLICY).withNamespace(namespace).endMetadata().withData(data).build()).create();
  }

  private ConfigMap policyOf(String namespace) {
    return client.configMaps().inNamespace(namespace).withName(POLICY).get();
  }

  private String modeIn(String namespace) {
    ConfigMap cm = policyOf(namespace);
    return cm == null || cm.getData() == null ? null : cm.getData().get("mode");
  }

  private static void await(BooleanSupplier condition, String what) {
    Eventually.eventually(condition, Duration.ofSeconds(15), what);
  }

  @Test
  void theMockApiServerListensOnLoopbackOnly() throws Exception {
    assertTrue(InetAddress.getByName(URI.create(client.getMasterUrl().toString()).getHost()).isLoopbackAddress(), client.getMasterUrl().toString());
  }

  @Test
  void flippingTheModeLabelRewritesOnlyTheModeKey() {
    namespace("shop", Map.of("dnssec-proxy.io/inject", "enabled", "dnssec-proxy.io/mode", "enforce"));
    policy("shop", Map.of("mode", "enforce", "insecure-domains", "corp.example\nlab.example", "owner", "team-shop"));
    startSync(Mode.ENFORCE, Duration.ofMinutes(10));
    await(() -> metrics.syncs(InjectorMetrics.Sync.UNCHANGED) >= 1, "the namespace is seen as in step");

    relabel("shop", Map.of("dnssec-proxy.io/inject", "enabled", "dnssec-proxy.io/mode", "permissive"));

    await(() -> "permissive".equals(modeIn("shop")), "the ConfigMap says permissive");
    assertEquals(Map.of("mode", "permissive", "insecure-domains", "corp.example\nlab.example", "owner", "team-shop"), policyOf("shop").getData());
    assertTrue(log.stream().anyMatch(l -> l.contains("\"event\":\"policy-sync\"") && l.contains("\"from\":\"enforce\"") && l.contains("\"to\":\"permissive\"")), log.toString());

    relabel("shop", Map.of("dnssec-proxy.io/inject", "enabled", "dnssec-proxy.io/mode", "enforce"));
    await(() -> "enforce".equals(modeIn("shop")), "and back to enforce");
    assertEquals("corp.example\nlab.example", policyOf("shop").getData().get("insecure-domains"));
  }

  @Test
  void aLabelledNamespaceWithoutAConfigMapGetsOneWithTheDefaultMode() {
    namespace("fresh", Map.of("dnssec-proxy.io/inject", "enabled"));
    startSync(Mode.PERMISSIVE, Duration.ofMinutes(10));

    await(() -> policyOf("fresh") != null, "the ConfigMap exists");
    ConfigMap cm = policyOf("fresh");
    assertEquals(Map.of("mode", "permissive", "insecure-domains", ""), cm.getData(), "no mode label: the default mode");
    assertEquals("dnssec-proxy-injector", cm.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
    assertEquals(1.0, metrics.syncs(InjectorMetrics.Sync.CREATED));
  }

  @Test
  void removingTheModeLabelOrGivingAnUnknownModeFallsBackToTheDefault() {
    namespace("shop", Map.of("dnssec-proxy.io/inject", "enabled", "dnssec-proxy.io/mode", "permissive"));
    startSync(Mode.ENFORCE, Duration.ofMinutes(10));
    await(() -> "permissive".equals(modeIn("shop")), "permissive from the label");

    relabel("shop", Map.of("dnssec-proxy.io/inject", "enabled"));
    await(() -> "enforce".equals(modeIn("shop")), "the default once the label is gone");

    relabel("shop", Map.of("dnssec-proxy.io/inject", "enabled", "dnssec-proxy.io/mode", "permissive"));
    await(() -> "permissive".equals(modeIn("shop")), "permissive again");
    relabel("shop", Map.of("dnssec-proxy.io/inject", "enabled", "dnssec-proxy.io/mode", "strict"));
    await(() -> "enforce".equals(modeIn("shop")), "an unknown mode is the default, the safe side");
  }

  @Test
  void namespacesWithoutTheInjectLabelAreNeverTouched() {
    namespace("other", Map.of("dnssec-proxy.io/mode", "permissive"));
    policy("other", Map.of("mode", "enforce"));
    namespace("bare", Map.of());
    namespace("shop", Map.of("dnssec-proxy.io/inject", "enabled", "dnssec-proxy.io/mode", "permissive"));
    startSync(Mode.ENFORCE, Duration.ofSeconds(1));

    await(() -> "permissive".equals(modeIn("shop")), "the labelled namespace is synced");
    await(() -> metrics.syncs(InjectorMetrics.Sync.UNCHANGED) >= 1, "a resync has gone by");
    assertEquals(Map.of("mode", "enforce"), policyOf("other").getData(), "a mode label without the inject label does nothing");
    assertNull(policyOf("bare"), "no ConfigMap is created in an unlabelled namespace");
  }

  @Test
  void aNamespaceThatLosesTheInjectLabelKeepsItsConfigMapAsItWas() {
    namespace("shop", Map.of("dnssec-proxy.io/inject", "enabled", "dnssec-proxy.io/mode", "permissive"));
    namespace("canary", Map.of("dnssec-proxy.io/inject", "enabled"));
    startSync(Mode.ENFORCE, Duration.ofMinutes(10));
    await(() -> "permissive".equals(modeIn("shop")), "synced");

    relabel("shop", Map.of("dnssec-proxy.io/mode", "permissive"));
    relabel("shop", Map.of("dnssec-proxy.io/mode", "enforce"));
    relabel("canary", Map.of("dnssec-proxy.io/inject", "enabled", "dnssec-proxy.io/mode", "permissive"));
    await(() -> "permissive".equals(modeIn("canary")), "a later event has been handled");

    assertEquals("permissive", modeIn("shop"), "no longer managed: the pods still running there keep their policy");
  }

  @Test
  void theResyncRepairsADeletedOrEditedConfigMap() {
    namespace("shop", Map.of("dnssec-proxy.io/inject", "enabled", "dnssec-proxy.io/mode", "permissive"));
    startSync(Mode.ENFORCE, Duration.ofSeconds(1));
    await(() -> "permissive".equals(modeIn("shop")), "synced");

    client.configMaps().inNamespace("shop").withName(POLICY).edit(cm -> new ConfigMapBuilder(cm).addToData("mode", "enforce").build());
    await(() -> "permissive".equals(modeIn("shop")), "an edit against the label is undone by the resync");

    client.configMaps().inNamespace("shop").withName(POLICY).delete();
    await(() -> "permissive".equals(modeIn("shop")), "a deleted ConfigMap comes back");
  }

  @Test
  void desiredModeReadsTheLabel() {
    assertEquals(Mode.PERMISSIVE, NamespaceModeSync.desiredMode(Map.of("dnssec-proxy.io/mode", "Permissive"), Mode.ENFORCE));
    assertEquals(Mode.ENFORCE, NamespaceModeSync.desiredMode(Map.of(), Mode.ENFORCE));
    assertEquals(Mode.PERMISSIVE, NamespaceModeSync.desiredMode(null, Mode.PERMISSIVE));
    assertEquals(Mode.ENFORCE, NamespaceModeSync.desiredMode(Map.of("dnssec-proxy.io/mode", "off"), Mode.ENFORCE));
  }

  /** Loopback port 1: connections are refused at once. */
  private static KubernetesClient unreachable() {
    return new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl("https://127.0.0.1:1").withRequestRetryBackoffLimit(0).withConnectionTimeout(2000).build()).build();
  }

  @Test
  void startDoesNotWaitForAnApiServerThatIsDownAndKeepsTrying() {
    try (KubernetesClient down = unreachable()) {
      sync = new NamespaceModeSync(down, POLICY, Mode.ENFORCE, Duration.ofMinutes(10), metrics, log::add, Clock.systemUTC());
      long started = System.nanoTime();

      sync.start();

      assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "start() must return while the list fails");
      await(() -> log.stream().anyMatch(l -> l.contains("\"event\":\"namespace-watch-failed\"")), "the failure is logged");
      assertTrue(!sync.hasSynced());
      sync.close();
      sync = null;
    }
  }

  @Test
  void anApiServerThatCannotBeReachedIsCountedAndLoggedNotThrown() {
    try (KubernetesClient unreachable = unreachable()) {
      NamespaceModeSync broken = new NamespaceModeSync(unreachable, POLICY, Mode.ENFORCE, Duration.ofMinutes(10), metrics, log::add, Clock.systemUTC());

      broken.reconcile(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build());
    }

    assertEquals(1.0, metrics.syncs(InjectorMetrics.Sync.FAILED));
    assertTrue(log.stream().anyMatch(l -> l.contains("\"event\":\"policy-sync-failed\"") && l.contains("\"namespace\":\"shop\"")), log.toString());
  }
}
