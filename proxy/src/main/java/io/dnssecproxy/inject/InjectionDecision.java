package io.dnssecproxy.inject;

import io.dnssecproxy.policy.Mode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Whether a pod gets the sidecar, and with which mode. The webhook is only called for pods in
 * labelled namespaces (the MutatingWebhookConfiguration's namespaceSelector), so this looks at
 * the pod alone.
 */
public sealed interface InjectionDecision {

  /** Leave the pod as it is; {@code warning} is shown to the user, or null when skipping is normal. */
  record Skip(String reason, String warning) implements InjectionDecision {}

  /** Add the sidecar; an empty {@code podMode} means the namespace's mode (the policy ConfigMap). */
  record Inject(Optional<Mode> podMode, List<String> warnings) implements InjectionDecision {}

  static InjectionDecision decide(JsonObject pod, SidecarTemplate template) {
    JsonObject annotations = pod.getJsonObject("metadata", new JsonObject()).getJsonObject("annotations", new JsonObject());
    JsonObject spec = pod.getJsonObject("spec");
    if (spec == null) {
      return new Skip("no spec", "dnssec-proxy: the pod has no spec; sidecar not added");
    }
    if (containerNames(spec).contains(template.sidecarName())) {
      return new Skip("already has a container named " + template.sidecarName(), null);
    }
    if ("false".equalsIgnoreCase(String.valueOf(annotations.getValue(InjectionNames.INJECT_ANNOTATION)).trim())) {
      return new Skip("opted out by annotation " + InjectionNames.INJECT_ANNOTATION, null);
    }
    if (Boolean.TRUE.equals(spec.getValue("hostNetwork"))) {
      return new Skip("hostNetwork", "dnssec-proxy: hostNetwork pods share the node's port 53; sidecar not added");
    }
    Set<String> volumes = names(spec.getJsonArray("volumes"));
    for (Object v : template.volumes()) {
      String name = ((JsonObject) v).getString("name");
      if (volumes.contains(name)) {
        return new Skip("volume " + name + " exists", "dnssec-proxy: the pod already has a volume named " + name + "; sidecar not added");
      }
    }
    List<String> warnings = new ArrayList<>();
    Optional<Mode> podMode = Optional.empty();
    Object asked = annotations.getValue(InjectionNames.MODE_ANNOTATION);
    if (asked != null) {
      try {
        podMode = Optional.of(Mode.parse(String.valueOf(asked)));
      } catch (IllegalArgumentException e) {
        warnings.add("dnssec-proxy: annotation " + InjectionNames.MODE_ANNOTATION + ": " + e.getMessage() + "; the namespace's mode applies");
      }
    }
    return new Inject(podMode, warnings);
  }

  private static Set<String> containerNames(JsonObject spec) {
    return Stream.of(spec.getJsonArray("initContainers"), spec.getJsonArray("containers"))
        .flatMap(a -> names(a).stream()).collect(Collectors.toSet());
  }

  private static Set<String> names(JsonArray items) {
    return items == null ? Set.of()
        : items.stream().filter(JsonObject.class::isInstance).map(o -> ((JsonObject) o).getString("name")).collect(Collectors.toSet());
  }
}
