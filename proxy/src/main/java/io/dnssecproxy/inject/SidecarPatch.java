package io.dnssecproxy.inject;

import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.policy.PolicyFiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The RFC 6902 JSON Patch that adds the sidecar to one pod: the native-sidecar init container
 * (first, so later init containers have DNS), its volumes, dnsPolicy None with the proxy as the
 * only nameserver, the port-53 sysctl and the pod annotations. Arrays and objects the pod lacks
 * are added whole (a patch cannot append to a missing array).
 *
 * <p>A mode from the pod's annotation must hold against the namespace's ConfigMap, whose
 * {@code mode} key the injector rewrites when the namespace label changes: such a pod gets
 * {@code --mode} and a policy volume that projects only {@code insecure-domains}.
 */
public final class SidecarPatch {

  /** The operations, and what the user should hear about (shown by kubectl as warnings). */
  public record Result(JsonArray operations, List<String> warnings) {}

  private final JsonArray ops = new JsonArray();
  private final List<String> warnings = new ArrayList<>();

  private SidecarPatch() {}

  public static Result build(JsonObject pod, String namespace, SidecarTemplate template, Optional<Mode> podMode) {
    SidecarPatch p = new SidecarPatch();
    JsonObject spec = pod.getJsonObject("spec");
    p.annotations(pod.getJsonObject("metadata", new JsonObject()).getJsonObject("annotations"), template, podMode);
    p.initContainer(spec, sidecar(template, podMode));
    p.volumes(spec, volumes(template, podMode));
    if (template.setsDns()) {
      p.dns(spec, template.dnsPolicy(), template.dnsConfigFor(namespace));
    }
    p.sysctls(spec, template.sysctls());
    return new Result(p.ops, List.copyOf(p.warnings));
  }

  private static JsonObject sidecar(SidecarTemplate template, Optional<Mode> podMode) {
    JsonObject container = template.initContainer();
    podMode.ifPresent(m -> {
      JsonArray args = container.getJsonArray("args", new JsonArray());
      container.put("args", args.add("--mode=" + m.tag()));
    });
    return container;
  }

  private static JsonArray volumes(SidecarTemplate template, Optional<Mode> podMode) {
    JsonArray volumes = template.volumes();
    if (podMode.isPresent()) {
      for (Object o : volumes) {
        JsonObject v = (JsonObject) o;
        if (v.getString("name").equals(template.policyVolume())) {
          // Without a `mode` file the proxy keeps --mode; insecure domains still follow the namespace.
          v.getJsonObject("configMap").put("items",
              new JsonArray().add(new JsonObject().put("key", PolicyFiles.INSECURE_DOMAINS).put("path", PolicyFiles.INSECURE_DOMAINS)));
        }
      }
    }
    return volumes;
  }

  private void annotations(JsonObject existing, SidecarTemplate template, Optional<Mode> podMode) {
    Map<String, Object> add = new LinkedHashMap<>();
    boolean ownScrape = existing != null && existing.fieldNames().stream().anyMatch(k -> k.startsWith("prometheus.io/"));
    if (!ownScrape) { // an application that is scraped already keeps its own scrape settings
      add.putAll(template.annotations().getMap());
    }
    add.put(InjectionNames.INJECTED_ANNOTATION, podMode.isPresent() ? "pod" : "namespace");
    if (existing == null) {
      op("add", "/metadata/annotations", new JsonObject(add));
      return;
    }
    add.forEach((k, v) -> op("add", "/metadata/annotations/" + JsonPointer.escape(k), v));
  }

  private void initContainer(JsonObject spec, JsonObject sidecar) {
    JsonArray existing = spec.getJsonArray("initContainers");
    if (existing == null || existing.isEmpty()) {
      op("add", "/spec/initContainers", new JsonArray().add(sidecar));
    } else {
      op("add", "/spec/initContainers/0", sidecar);
    }
  }

  private void volumes(JsonObject spec, JsonArray volumes) {
    if (spec.getJsonArray("volumes") == null) {
      op("add", "/spec/volumes", volumes);
      return;
    }
    volumes.forEach(v -> op("add", "/spec/volumes/-", v));
  }

  /**
   * Nameservers are replaced: any other would let queries bypass validation. The pod's own
   * searches are kept after the cluster's, and its own options win over the chart's (a pod that
   * asked for ndots 2 keeps it).
   */
  private void dns(JsonObject spec, String dnsPolicy, JsonObject ours) {
    op("add", "/spec/dnsPolicy", dnsPolicy);
    JsonObject theirs = spec.getJsonObject("dnsConfig");
    if (theirs != null) {
      JsonArray searches = ours.getJsonArray("searches", new JsonArray()).copy();
      theirs.getJsonArray("searches", new JsonArray()).forEach(s -> {
        if (!searches.contains(s)) {
          searches.add(s);
        }
      });
      ours.put("searches", searches);
      Map<String, Object> options = new LinkedHashMap<>();
      ours.getJsonArray("options", new JsonArray()).forEach(o -> options.put(((JsonObject) o).getString("name"), o));
      theirs.getJsonArray("options", new JsonArray()).forEach(o -> options.put(((JsonObject) o).getString("name"), o));
      ours.put("options", new JsonArray(new ArrayList<>(options.values())));
      JsonArray dropped = theirs.getJsonArray("nameservers", new JsonArray()).copy();
      dropped.getList().removeAll(ours.getJsonArray("nameservers").getList());
      if (!dropped.isEmpty()) {
        warnings.add("dnssec-proxy: dnsConfig nameservers " + dropped.encode() + " replaced by the proxy on "
            + ours.getJsonArray("nameservers").encode());
      }
    }
    op("add", "/spec/dnsConfig", ours);
  }

  private void sysctls(JsonObject spec, JsonArray ours) {
    if (ours.isEmpty()) {
      return;
    }
    JsonObject securityContext = spec.getJsonObject("securityContext");
    if (securityContext == null) {
      op("add", "/spec/securityContext", new JsonObject().put("sysctls", ours));
      return;
    }
    JsonArray theirs = securityContext.getJsonArray("sysctls");
    if (theirs == null) {
      op("add", "/spec/securityContext/sysctls", ours);
      return;
    }
    for (Object o : ours) {
      JsonObject sysctl = (JsonObject) o;
      int at = indexOfName(theirs, sysctl.getString("name"));
      if (at < 0) {
        op("add", "/spec/securityContext/sysctls/-", sysctl);
      } else if (!satisfies(theirs.getJsonObject(at).getString("value"), sysctl.getString("value"))) {
        op("replace", "/spec/securityContext/sysctls/" + at + "/value", sysctl.getString("value"));
        warnings.add("dnssec-proxy: sysctl " + sysctl.getString("name") + " set to " + sysctl.getString("value")
            + " (was " + theirs.getJsonObject(at).getString("value") + ") so the proxy can bind its port");
      }
    }
  }

  /**
   * The chart's one sysctl is net.ipv4.ip_unprivileged_port_start, where a pod's lower value
   * also lets the proxy bind (and lowering it is what the application wanted), so it is kept.
   */
  private static boolean satisfies(String theirs, String ours) {
    if (ours.equals(theirs)) {
      return true;
    }
    try {
      return Long.parseLong(theirs.trim()) <= Long.parseLong(ours.trim());
    } catch (NumberFormatException | NullPointerException e) {
      return false;
    }
  }

  private static int indexOfName(JsonArray items, String name) {
    for (int i = 0; i < items.size(); i++) {
      if (name.equals(items.getJsonObject(i).getString("name"))) {
        return i;
      }
    }
    return -1;
  }

  private void op(String op, String path, Object value) {
    ops.add(new JsonObject().put("op", op).put("path", path).put("value", value));
  }
}
