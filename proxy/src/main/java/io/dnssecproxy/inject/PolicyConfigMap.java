package io.dnssecproxy.inject;

import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.policy.PolicyFiles;
import io.dnssecproxy.policy.PolicyText;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Makes one namespace's policy ConfigMap say a mode. Only the {@code mode} key is written
 * (a JSON merge patch), so {@code insecure-domains} and any other key stay as their owner
 * left them; {@code insecure-domains} is added empty when missing, because pods that pin their
 * mode project that one key and a missing key would keep them from starting.
 */
final class PolicyConfigMap {

  /** What was done, and the mode the ConfigMap said before (empty: none or unreadable). */
  record Outcome(InjectorMetrics.Sync result, Optional<Mode> before) {}

  private final KubernetesClient client;
  private final String name;

  PolicyConfigMap(KubernetesClient client, String name) {
    this.client = client;
    this.name = name;
  }

  String name() {
    return name;
  }

  Outcome ensureMode(String namespace, Mode mode) {
    Resource<ConfigMap> resource = client.configMaps().inNamespace(namespace).withName(name);
    ConfigMap existing = resource.get();
    if (existing == null) {
      try {
        resource.create(new ConfigMapBuilder()
            .withNewMetadata().withName(name).withNamespace(namespace)
            .addToLabels("app.kubernetes.io/managed-by", InjectionNames.MANAGED_BY).endMetadata()
            .addToData(PolicyFiles.MODE, mode.tag())
            .addToData(PolicyFiles.INSECURE_DOMAINS, "")
            .build());
        return new Outcome(InjectorMetrics.Sync.CREATED, Optional.empty());
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        existing = resource.get(); // another replica created it meanwhile
        if (existing == null) {
          throw e;
        }
      }
    }
    Map<String, String> data = existing.getData() == null ? Map.of() : existing.getData();
    Optional<Mode> before = current(data.get(PolicyFiles.MODE));
    Map<String, Object> change = new LinkedHashMap<>();
    if (!before.equals(Optional.of(mode))) {
      change.put(PolicyFiles.MODE, mode.tag());
    }
    if (!data.containsKey(PolicyFiles.INSECURE_DOMAINS)) {
      change.put(PolicyFiles.INSECURE_DOMAINS, "");
    }
    if (change.isEmpty()) {
      return new Outcome(InjectorMetrics.Sync.UNCHANGED, before);
    }
    resource.patch(PatchContext.of(PatchType.JSON_MERGE), new JsonObject().put("data", new JsonObject(change)).encode());
    return new Outcome(InjectorMetrics.Sync.UPDATED, before);
  }

  /** The mode the key says; a value the proxy would refuse counts as none (and is overwritten). */
  private static Optional<Mode> current(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return PolicyText.mode(text);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
