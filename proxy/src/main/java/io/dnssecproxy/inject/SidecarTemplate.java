package io.dnssecproxy.inject;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the injector adds to a pod, exactly as the Helm chart's named templates render it
 * (templates/_injector.tpl writes their output as JSON into a ConfigMap the injector mounts),
 * so an injected pod and a pod built from the chart's templates cannot drift apart.
 *
 * <p>The namespace is not known when the chart renders, so the DNS search list carries a
 * placeholder that {@link #dnsConfigFor} replaces with the pod's namespace.
 */
public final class SidecarTemplate {

  private final JsonObject json;
  private final String policyVolume;

  private SidecarTemplate(JsonObject json) {
    this.json = json;
    String name = initContainer().getString("name");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("initContainer has no name");
    }
    String configMap = json.getString("policyConfigMap", "");
    this.policyVolume = volumes().stream().map(JsonObject.class::cast)
        .filter(v -> v.getJsonObject("configMap") != null && configMap.equals(v.getJsonObject("configMap").getString("name")))
        .map(v -> v.getString("name")).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no volume mounts the policy ConfigMap '" + configMap + "'"));
  }

  /** @throws IllegalArgumentException when the text is not a template */
  public static SidecarTemplate parse(String text) {
    try {
      JsonObject json = new JsonObject(text);
      for (String key : new String[] {"initContainer", "volumes", "dns", "sysctls", "annotations"}) {
        if (!json.containsKey(key)) {
          throw new IllegalArgumentException("no '" + key + "'");
        }
      }
      return new SidecarTemplate(json);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("not a sidecar template: " + e.getMessage(), e);
    }
  }

  /** @throws IllegalArgumentException with the file name when it cannot be read or parsed */
  public static SidecarTemplate read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** A fresh copy each call: callers adapt it to the pod. */
  public JsonObject initContainer() {
    return json.getJsonObject("initContainer").copy();
  }

  public String sidecarName() {
    return json.getJsonObject("initContainer").getString("name");
  }

  public JsonArray volumes() {
    return json.getJsonArray("volumes").copy();
  }

  /** The volume holding the namespace's policy ConfigMap. */
  public String policyVolume() {
    return policyVolume;
  }

  /** dnsPolicy None and a dnsConfig, or nothing when the chart leaves DNS to the cluster. */
  public boolean setsDns() {
    return json.getJsonObject("dns").containsKey("dnsConfig");
  }

  public String dnsPolicy() {
    return json.getJsonObject("dns").getString("dnsPolicy");
  }

  /** The chart's dnsConfig with the pod's namespace in the search list. */
  public JsonObject dnsConfigFor(String namespace) {
    JsonObject config = json.getJsonObject("dns").getJsonObject("dnsConfig").copy();
    String placeholder = json.getString("namespacePlaceholder", "");
    JsonArray searches = config.getJsonArray("searches", new JsonArray());
    JsonArray resolved = new JsonArray();
    for (Object s : searches) {
      resolved.add(placeholder.isEmpty() ? s : ((String) s).replace(placeholder, namespace));
    }
    return config.put("searches", resolved);
  }

  public JsonArray sysctls() {
    return json.getJsonArray("sysctls").copy();
  }

  public JsonObject annotations() {
    return json.getJsonObject("annotations").copy();
  }
}
