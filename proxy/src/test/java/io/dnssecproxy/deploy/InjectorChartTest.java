package io.dnssecproxy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.inject.AdmissionHandler;
import io.dnssecproxy.inject.InjectorMetrics;
import io.dnssecproxy.inject.SidecarTemplate;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonPatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * helm/dnssec-proxy with injector.enabled: the webhook objects are valid API objects, wired to
 * each other, and the injector adds to a pod exactly what the chart's own templates render.
 * (tls.reuseGenerated=false: helm-java's template asks a cluster for Helm's lookup.)
 */
class InjectorChartTest {

  private static final String NS = "dnssec-system";
  private static final String ON = "upstream: ['10.96.0.10']\ninjector: {enabled: true, tls: {reuseGenerated: false}}\n";

  @TempDir Path scratch;

  private List<HasMetadata> render(String values) {
    return render(values, NS);
  }

  private List<HasMetadata> render(String values, String namespace) {
    return KubeObjects.parse(HelmRunner.template(RepoFiles.chart(), "web", namespace, values, scratch), "helm template");
  }

  private static MutatingWebhook webhook(List<HasMetadata> objects) {
    List<MutatingWebhook> hooks = KubeObjects.only(objects, MutatingWebhookConfiguration.class).getWebhooks();
    assertEquals(1, hooks.size());
    return hooks.get(0);
  }

  private static Deployment injector(List<HasMetadata> objects) {
    return KubeObjects.ofType(objects, Deployment.class).stream()
        .filter(d -> d.getMetadata().getName().endsWith("-injector")).findFirst().orElseThrow();
  }

  private static ConfigMap sidecarTemplate(List<HasMetadata> objects) {
    return KubeObjects.ofType(objects, ConfigMap.class).stream()
        .filter(c -> c.getData().containsKey("sidecar.json")).findFirst().orElseThrow();
  }

  private static X509Certificate pem(String base64) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Base64.getMimeDecoder().decode(base64)));
  }

  @Test
  void offByDefaultNoInjectorObjectIsRendered() {
    List<HasMetadata> objects = render("upstream: ['10.96.0.10']\n");

    assertTrue(objects.stream().noneMatch(o -> o instanceof MutatingWebhookConfiguration || o instanceof Secret
        || o instanceof ClusterRole || o instanceof ClusterRoleBinding || o instanceof ServiceAccount || o instanceof Service), objects.toString());
    assertEquals(1, KubeObjects.ofType(objects, Deployment.class).size(), "only the example");
  }

  @Test
  void enabledItRendersTheWebhookObjectsAllValid() {
    List<String> kinds = render(ON).stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).sorted().toList();

    assertEquals(List.of(
        "ClusterRole/web-dnssec-proxy-injector", "ClusterRoleBinding/web-dnssec-proxy-injector",
        "ConfigMap/dnssec-proxy-policy", "ConfigMap/web-dnssec-proxy-injector-sidecar",
        "Deployment/web-dnssec-proxy-example", "Deployment/web-dnssec-proxy-injector",
        "MutatingWebhookConfiguration/web-dnssec-proxy-injector", "Secret/web-dnssec-proxy-injector-tls",
        "Service/web-dnssec-proxy-injector", "ServiceAccount/web-dnssec-proxy-injector"), kinds);
  }

  @Test
  void theWebhookIsSafeByDefault() {
    MutatingWebhook hook = webhook(render(ON));

    assertEquals("Ignore", hook.getFailurePolicy(), "an injector outage must not stop pod creation");
    assertEquals("None", hook.getSideEffects());
    assertEquals(List.of("v1"), hook.getAdmissionReviewVersions());
    assertTrue(hook.getTimeoutSeconds() <= 10, "a small timeout: the API server waits this long per pod");
    assertEquals(1, hook.getRules().size());
    assertEquals(List.of("CREATE"), hook.getRules().get(0).getOperations());
    assertEquals(List.of("pods"), hook.getRules().get(0).getResources());
    assertEquals(List.of(""), hook.getRules().get(0).getApiGroups());
    assertEquals("Fail", webhook(render(ON + "injector: {enabled: true, failurePolicy: Fail, tls: {reuseGenerated: false}}\n")).getFailurePolicy());
  }

  @Test
  void theWebhookReachesTheInjectorsServiceAndTrustsTheGeneratedCertificate() throws Exception {
    List<HasMetadata> objects = render(ON);
    MutatingWebhook hook = webhook(objects);
    Service service = KubeObjects.only(objects, Service.class);
    Deployment injector = injector(objects);
    Secret secret = KubeObjects.only(objects, Secret.class);

    assertEquals(service.getMetadata().getName(), hook.getClientConfig().getService().getName());
    assertEquals(NS, hook.getClientConfig().getService().getNamespace());
    assertEquals("/mutate", hook.getClientConfig().getService().getPath());
    assertEquals(hook.getClientConfig().getService().getPort(), service.getSpec().getPorts().get(0).getPort());
    String targetPort = service.getSpec().getPorts().get(0).getTargetPort().getStrVal();
    Container container = injector.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertTrue(container.getPorts().stream().anyMatch(p -> p.getName().equals(targetPort)), "the Service's target port is the injector's");
    assertTrue(injector.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(service.getSpec().getSelector().entrySet()));

    X509Certificate ca = pem(hook.getClientConfig().getCaBundle());
    X509Certificate cert = pem(secret.getData().get("tls.crt"));
    cert.verify(ca.getPublicKey()); // throws unless the caBundle's CA signed it
    cert.checkValidity();
    List<String> names = cert.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
    assertTrue(names.contains("web-dnssec-proxy-injector." + NS + ".svc"), "the name the API server dials: " + names);
    assertEquals(hook.getClientConfig().getCaBundle(), secret.getData().get("ca.crt"));
    assertEquals(secret.getMetadata().getName(), injector.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getSecret() != null).findFirst().orElseThrow().getSecret().getSecretName());
  }

  @Test
  void anExistingSecretIsMountedAndNothingIsGenerated() {
    String ca = Base64.getEncoder().encodeToString("-----BEGIN CERTIFICATE-----\n...\n".getBytes(StandardCharsets.US_ASCII));
    List<HasMetadata> objects = render("upstream: ['10.96.0.10']\ninjector: {enabled: true, tls: {secretName: injector-tls, caBundle: '" + ca + "'}}\n");

    assertTrue(KubeObjects.ofType(objects, Secret.class).isEmpty());
    assertEquals(ca, webhook(objects).getClientConfig().getCaBundle());
    assertEquals("injector-tls", injector(objects).getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getSecret() != null).findFirst().orElseThrow().getSecret().getSecretName());
    assertNull(webhook(render("upstream: ['10.96.0.10']\ninjector: {enabled: true, tls: {secretName: injector-tls}}\n"))
        .getClientConfig().getCaBundle(), "no caBundle: for a CA injector such as cert-manager's to fill in");
  }

  /** Just the parts of label-selector matching a namespaceSelector here uses. */
  private static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector.getMatchLabels() != null && !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
      return false;
    }
    for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
      String value = labels.get(r.getKey());
      boolean ok = switch (r.getOperator()) {
        case "In" -> value != null && r.getValues().contains(value);
        case "NotIn" -> value == null || !r.getValues().contains(value);
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> throw new AssertionError("operator " + r.getOperator());
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, String> namespace(String name, String... labels) {
    Map<String, String> m = new java.util.HashMap<>(Map.of("kubernetes.io/metadata.name", name));
    for (int i = 0; i < labels.length; i += 2) {
      m.put(labels[i], labels[i + 1]);
    }
    return m;
  }

  @Test
  void onlyLabelledNamespacesAreSentAndNeverTheInjectorsOwnOrKubeSystem() {
    LabelSelector selector = webhook(render(ON)).getNamespaceSelector();

    assertTrue(matches(selector, namespace("shop", "dnssec-proxy.io/inject", "enabled")));
    assertTrue(matches(selector, namespace("shop", "dnssec-proxy.io/inject", "enabled", "dnssec-proxy.io/mode", "permissive")));
    assertFalse(matches(selector, namespace("shop")), "unlabelled");
    assertFalse(matches(selector, namespace("shop", "dnssec-proxy.io/inject", "disabled")));
    assertFalse(matches(selector, namespace("shop", "dnssec-proxy.io/mode", "enforce")), "a mode label alone injects nothing");
    assertFalse(matches(selector, namespace(NS, "dnssec-proxy.io/inject", "enabled")), "the injector cannot wait on itself");
    assertFalse(matches(selector, namespace("kube-system", "dnssec-proxy.io/inject", "enabled")));
  }

  @Test
  void rbacIsNamespacesReadAndThePolicyConfigMapWrite() {
    List<HasMetadata> objects = render(ON);
    ClusterRole role = KubeObjects.only(objects, ClusterRole.class);
    ClusterRoleBinding binding = KubeObjects.only(objects, ClusterRoleBinding.class);

    assertEquals(List.of(
        List.of("[namespaces]", "[]", "[get, list, watch]"),
        List.of("[configmaps]", "[]", "[create]"),
        List.of("[configmaps]", "[dnssec-proxy-policy]", "[get, patch]")),
        role.getRules().stream().map((PolicyRule r) -> List.of(r.getResources().toString(), r.getResourceNames().toString(), r.getVerbs().toString())).toList());
    assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
    assertEquals(KubeObjects.only(objects, ServiceAccount.class).getMetadata().getName(), binding.getSubjects().get(0).getName());
    assertEquals(injector(objects).getSpec().getTemplate().getSpec().getServiceAccountName(), binding.getSubjects().get(0).getName());

    List<HasMetadata> noSync = render("upstream: ['10.96.0.10']\ninjector: {enabled: true, syncNamespaces: false, tls: {reuseGenerated: false}}\n");
    assertTrue(KubeObjects.ofType(noSync, ClusterRole.class).isEmpty());
    assertEquals(Boolean.FALSE, injector(noSync).getSpec().getTemplate().getSpec().getAutomountServiceAccountToken());
    assertTrue(injector(noSync).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().contains("--sync-namespaces=false"));
  }

  @Test
  void theInjectorRunsTheSidecarsImageAndRestartsWhenTheSidecarChanges() {
    List<HasMetadata> objects = render(ON);
    Container injector = injector(objects).getSpec().getTemplate().getSpec().getContainers().get(0);
    Container sidecar = SidecarExpectations.sidecarOf(KubeObjects.ofType(objects, Deployment.class).stream()
        .filter(d -> d.getMetadata().getName().endsWith("-example")).findFirst().orElseThrow().getSpec().getTemplate().getSpec());

    assertEquals(sidecar.getImage(), injector.getImage());
    assertEquals("injector", injector.getArgs().get(0));
    assertEquals(List.of("/etc/dnssec-proxy/injector/template/sidecar.json"), SidecarExpectations.values(injector.getArgs(), "--sidecar-template"));
    assertEquals(List.of("HTTPS", "HTTPS"), List.of(injector.getReadinessProbe().getHttpGet().getScheme(), injector.getLivenessProbe().getHttpGet().getScheme()));
    String checksum = injector(objects).getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/sidecar-template");
    assertNotEquals(checksum, injector(render(ON + "cacheMaxEntries: 5000\n")).getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/sidecar-template"));
  }

  @Test
  void theUnitTestsTemplateFixtureIsWhatTheChartRenders() throws Exception {
    JsonObject rendered = new JsonObject(sidecarTemplate(render(ON)).getData().get("sidecar.json"));
    JsonObject fixture = new JsonObject(Files.readString(RepoFiles.root().resolve("proxy/src/test/resources/injector/sidecar-template.json")));

    assertEquals(fixture, rendered, "regenerate src/test/resources/injector/sidecar-template.json from the chart");
  }

  /**
   * No drift: the example Deployment is built from the named templates; strip what they added,
   * send the bare pod through the injector with the chart's sidecar.json, and the example's pod
   * spec must come back, field for field.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      defaults                  | {}
      permissive, own domain    | {mode: permissive, insecureDomains: [corp.example], clusterDomain: k8s.example.org}
      no probes, extra args     | {probes: {startup: {enabled: false}, readiness: {enabled: true}, liveness: {enabled: false}}, extraArgs: ['--upstream-timeout=800']}
      JVM flags, no scrape      | {jvmExtraFlags: ['-Xmx96m'], metrics: {podAnnotations: false}}
      """)
  void anInjectedPodEqualsThePodTheChartsTemplatesBuild(String what, String extra) throws Exception {
    String namespace = "shop";
    List<HasMetadata> objects = render(ON + asBlock(extra), namespace);
    PodTemplateSpec example = KubeObjects.ofType(objects, Deployment.class).stream()
        .filter(d -> d.getMetadata().getName().endsWith("-example")).findFirst().orElseThrow().getSpec().getTemplate();
    SidecarTemplate template = SidecarTemplate.parse(sidecarTemplate(objects).getData().get("sidecar.json"));

    JsonObject bare = new JsonObject(Serialization.asJson(example));
    JsonObject spec = bare.getJsonObject("spec");
    spec.remove("initContainers");
    spec.remove("volumes");
    spec.remove("dnsPolicy");
    spec.remove("dnsConfig");
    spec.getJsonObject("securityContext").remove("sysctls");
    bare.getJsonObject("metadata").remove("annotations");
    JsonObject review = new JsonObject().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview").put("request", new JsonObject()
        .put("uid", "u-1").put("operation", "CREATE").put("namespace", namespace)
        .put("kind", new JsonObject().put("group", "").put("version", "v1").put("kind", "Pod"))
        .put("object", bare));

    JsonObject answer = new AdmissionHandler(template, new InjectorMetrics(new SimpleMeterRegistry()), l -> {}, Clock.systemUTC()).review(review);
    String patch = new String(Base64.getDecoder().decode(answer.getJsonObject("response").getString("patch")), StandardCharsets.UTF_8);
    ObjectMapper jackson = new ObjectMapper();
    PodTemplateSpec injected = Serialization.unmarshal(
        jackson.writeValueAsString(JsonPatch.apply(jackson.readTree(patch), jackson.readTree(bare.encode()))), PodTemplateSpec.class);

    assertEquals(example.getSpec(), injected.getSpec(), what);
    Map<String, String> annotations = new java.util.HashMap<>(injected.getMetadata().getAnnotations());
    assertEquals("namespace", annotations.remove("dnssec-proxy.io/injected"));
    assertEquals(example.getMetadata().getAnnotations() == null ? Map.of() : example.getMetadata().getAnnotations(), annotations);
    PodSpec pod = injected.getSpec();
    if (what.startsWith("defaults")) {
      SidecarExpectations.defaults(namespace, List.of("10.96.0.10")).assertPod(pod);
    }
  }

  /** {a: 1, b: {c: 2}} as top-level YAML keys, by letting YAML itself re-emit the flow mapping. */
  private static String asBlock(String flow) {
    if (flow.trim().equals("{}")) {
      return "";
    }
    try {
      com.fasterxml.jackson.dataformat.yaml.YAMLMapper yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
      return yaml.writeValueAsString(yaml.readTree(flow)).replaceFirst("^---\\s*\n", "");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      failure policy unknown | {upstream: ['10.96.0.10'], injector: {enabled: true, failurePolicy: Sometimes}} | failurePolicy
      timeout above 30 s     | {upstream: ['10.96.0.10'], injector: {enabled: true, timeoutSeconds: 31}}      | timeoutSeconds
      misspelt injector key  | {upstream: ['10.96.0.10'], injector: {enabled: true, failurepolicy: Fail}}     | failurepolicy
      default mode unknown   | {upstream: ['10.96.0.10'], injector: {enabled: true, defaultMode: strict}}     | defaultMode
      """)
  void schemaRejectsBadInjectorValues(String what, String values, String field) {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> render(values + "\n"), what);
    assertTrue(e.getMessage().contains("schema") && e.getMessage().contains(field), what + ": " + e.getMessage());
  }
}
