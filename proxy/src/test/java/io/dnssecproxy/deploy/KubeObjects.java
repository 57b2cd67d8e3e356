package io.dnssecproxy.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns manifest text into Kubernetes API objects the way the API server would refuse them:
 * each document must be a known (apiVersion, kind); every field must exist in that type
 * (fabric8 keeps unknown ones in additionalProperties, which we insist be empty); scalars must
 * have the API's type (no "65532" for an integer, no 5 for a string); plus the few server-side
 * rules the types cannot express that a pod spec here could break (names, references).
 */
final class KubeObjects {

  /** The kinds our manifests may contain, by apiVersion/kind. */
  private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
      "v1/ConfigMap", ConfigMap.class,
      "v1/Secret", Secret.class,
      "v1/Service", Service.class,
      "v1/ServiceAccount", ServiceAccount.class,
      "apps/v1/Deployment", Deployment.class,
      "rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class,
      "rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class,
      "admissionregistration.k8s.io/v1/MutatingWebhookConfiguration", MutatingWebhookConfiguration.class,
      "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class,
      "monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class);

  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private static final Pattern PORT_NAME = Pattern.compile("(?=.{1,15}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final JsonMapper STRICT = strictMapper();

  private KubeObjects() {}

  private static JsonMapper strictMapper() {
    JsonMapper m = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();
    for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
      m.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
      m.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    return m;
  }

  /** Every object in a multi-document YAML text; {@code source} names it in failures. */
  static List<HasMetadata> parse(String yaml, String source) {
    List<HasMetadata> objects = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
          continue;
        }
        String typeKey = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
        String where = source + ": " + typeKey + " " + doc.path("metadata").path("name").asText("<no name>");
        Class<? extends HasMetadata> type = TYPES.get(typeKey);
        if (type == null) {
          problems.add(where + ": not a kind these manifests may contain");
          continue;
        }
        HasMetadata object;
        try {
          object = STRICT.treeToValue(doc, type);
        } catch (JsonMappingException e) {
          problems.add(where + ": at " + path(e) + ": " + e.getOriginalMessage());
          continue;
        } catch (Exception e) {
          problems.add(where + ": " + e.getMessage().lines().findFirst().orElse(""));
          continue;
        }
        List<String> unknown = new ArrayList<>();
        unknownFields(object, "", unknown, 0);
        unknown.forEach(u -> problems.add(where + ": unknown field " + u));
        serverRules(object).forEach(r -> problems.add(where + ": " + r));
        objects.add(object);
      }
    } catch (Exception e) {
      throw new AssertionError(source + ": not YAML: " + e.getMessage(), e);
    }
    if (!problems.isEmpty()) {
      throw new AssertionError("invalid Kubernetes objects:\n  " + String.join("\n  ", problems));
    }
    return objects;
  }

  /** spec.template.spec.securityContext.runAsUser style, from Jackson's reference chain. */
  private static String path(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> found = ofType(objects, type);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
    }
    return found.get(0);
  }

  /** Paths of the fields fabric8 did not recognise (kept aside in additionalProperties). */
  private static void unknownFields(Object o, String path, List<String> out, int depth) {
    if (o == null || depth > 40) {
      return;
    }
    if (o instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        unknownFields(list.get(i), path + "[" + i + "]", out, depth + 1);
      }
      return;
    }
    if (o instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, out, depth + 1));
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : o.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
          || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(o);
      } catch (IllegalAccessException | InvocationTargetException e) {
        out.add(path + "." + getter.getName() + " (cannot be read: " + e.getCause() + ")");
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          extra.keySet().forEach(k -> out.add((path.isEmpty() ? "" : path.substring(1) + ".") + k));
        }
      } else if (!(value instanceof String)) {
        String name = getter.getName().substring(3);
        unknownFields(value, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1), out, depth + 1);
      }
    }
  }

  /** API-server validation rules that no schema type carries, for the kinds we render. */
  private static List<String> serverRules(HasMetadata o) {
    List<String> problems = new ArrayList<>();
    String name = o.getMetadata() == null ? null : o.getMetadata().getName();
    if (name == null || !DNS1123_SUBDOMAIN.matcher(name).matches()) {
      problems.add("metadata.name '" + name + "' is not a DNS-1123 subdomain");
    }
    if (o instanceof Deployment d) {
      var spec = d.getSpec();
      Map<String, String> podLabels = spec.getTemplate().getMetadata().getLabels();
      Map<String, String> selector = spec.getSelector().getMatchLabels();
      if (selector == null || selector.isEmpty() || podLabels == null
          || !podLabels.entrySet().containsAll(selector.entrySet())) {
        problems.add("spec.selector " + selector + " does not match the pod template's labels " + podLabels);
      }
      problems.addAll(podRules(spec.getTemplate().getSpec()));
    }
    if (o instanceof MutatingWebhookConfiguration config) {
      config.getWebhooks().forEach(w -> problems.addAll(webhookRules(w)));
    }
    if (o instanceof Secret secret && "kubernetes.io/tls".equals(secret.getType())
        && (secret.getData() == null || !secret.getData().containsKey("tls.crt") || !secret.getData().containsKey("tls.key"))) {
      problems.add("a kubernetes.io/tls Secret needs tls.crt and tls.key");
    }
    return problems;
  }

  /** admissionregistration/v1 validation (k8s.io/kubernetes pkg/apis/admissionregistration/validation). */
  private static List<String> webhookRules(MutatingWebhook w) {
    List<String> problems = new ArrayList<>();
    String where = "webhook " + w.getName() + ": ";
    if (w.getName() == null || !DNS1123_SUBDOMAIN.matcher(w.getName()).matches() || w.getName().split("\\.").length < 3) {
      problems.add(where + "name must be a fully qualified DNS name with at least three segments");
    }
    if (w.getAdmissionReviewVersions() == null || !w.getAdmissionReviewVersions().contains("v1")) {
      problems.add(where + "admissionReviewVersions must include v1");
    }
    if (!List.of("None", "NoneOnDryRun").contains(w.getSideEffects())) {
      problems.add(where + "sideEffects must be None or NoneOnDryRun in v1");
    }
    if (w.getTimeoutSeconds() != null && (w.getTimeoutSeconds() < 1 || w.getTimeoutSeconds() > 30)) {
      problems.add(where + "timeoutSeconds must be 1-30");
    }
    if (w.getFailurePolicy() != null && !List.of("Ignore", "Fail").contains(w.getFailurePolicy())) {
      problems.add(where + "failurePolicy must be Ignore or Fail");
    }
    var client = w.getClientConfig();
    if (client == null || (client.getUrl() == null) == (client.getService() == null)) {
      problems.add(where + "clientConfig needs exactly one of url and service");
    } else if (client.getService() != null && client.getService().getPath() != null && !client.getService().getPath().startsWith("/")) {
      problems.add(where + "clientConfig.service.path must start with /");
    }
    if (client != null && client.getCaBundle() != null) {
      try {
        java.util.Base64.getMimeDecoder().decode(client.getCaBundle());
      } catch (IllegalArgumentException e) {
        problems.add(where + "caBundle is not base64");
      }
    }
    if (w.getRules() == null || w.getRules().isEmpty()) {
      problems.add(where + "no rules");
    }
    return problems;
  }

  private static List<String> podRules(PodSpec pod) {
    List<String> problems = new ArrayList<>();
    Set<String> volumes = new HashSet<>();
    for (Volume v : pod.getVolumes()) {
      if (!volumes.add(v.getName())) {
        problems.add("volume " + v.getName() + " declared twice");
      }
    }
    Set<String> containerNames = new HashSet<>();
    Set<String> portNames = new HashSet<>();
    for (Container c : Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream()).toList()) {
      if (!containerNames.add(c.getName()) || !DNS1123_LABEL.matcher(c.getName()).matches()) {
        problems.add("container name '" + c.getName() + "' repeated or not a DNS-1123 label");
      }
      if (c.getImage() == null || c.getImage().isBlank()) {
        problems.add("container " + c.getName() + " has no image");
      }
      Set<String> ownPorts = new HashSet<>();
      for (ContainerPort p : c.getPorts()) {
        if (p.getName() != null && (!PORT_NAME.matcher(p.getName()).matches() || !portNames.add(p.getName()))) {
          problems.add("port name '" + p.getName() + "' repeated in the pod or not an IANA service name");
        }
        if (p.getName() != null) {
          ownPorts.add(p.getName());
        }
      }
      for (VolumeMount m : c.getVolumeMounts()) {
        if (!volumes.contains(m.getName())) {
          problems.add("container " + c.getName() + " mounts undeclared volume " + m.getName());
        }
      }
      for (Probe probe : Stream.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe()).filter(p -> p != null).toList()) {
        if (probe.getHttpGet() != null && probe.getHttpGet().getPort().getStrVal() != null
            && !ownPorts.contains(probe.getHttpGet().getPort().getStrVal())) {
          problems.add("container " + c.getName() + " probes port '" + probe.getHttpGet().getPort().getStrVal() + "' it does not declare");
        }
      }
    }
    for (Container c : pod.getInitContainers()) {
      if (!"Always".equals(c.getRestartPolicy()) && (c.getStartupProbe() != null || c.getReadinessProbe() != null || c.getLivenessProbe() != null)) {
        problems.add("init container " + c.getName() + " has probes but is not a sidecar (restartPolicy Always)");
      }
    }
    return problems;
  }
}
