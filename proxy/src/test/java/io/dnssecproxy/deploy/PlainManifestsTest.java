package io.dnssecproxy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** k8s/: the same sidecar without Helm, kustomize-friendly. */
class PlainManifestsTest {

  private static final YAMLMapper YAML = new YAMLMapper();

  @TempDir Path scratch;

  private static JsonNode yaml(Path file) throws IOException {
    return YAML.readTree(Files.readString(file));
  }

  /** The objects a kustomization (or component) directory lists, each checked as an API object. */
  private static List<HasMetadata> objectsOf(Path dir) throws IOException {
    List<HasMetadata> objects = new ArrayList<>();
    for (JsonNode resource : yaml(dir.resolve("kustomization.yaml")).path("resources")) {
      Path file = dir.resolve(resource.asText());
      assertTrue(Files.isRegularFile(file), "kustomization lists a missing file: " + file);
      objects.addAll(KubeObjects.parse(Files.readString(file), file.toString()));
    }
    return objects;
  }

  private static PodSpec examplePod() throws IOException {
    return KubeObjects.only(objectsOf(RepoFiles.manifests()), Deployment.class).getSpec().getTemplate().getSpec();
  }

  @Test
  void theKustomizationHoldsTheValidPolicyConfigMapAndExampleDeployment() throws IOException {
    List<HasMetadata> objects = objectsOf(RepoFiles.manifests());

    assertEquals(List.of("ConfigMap", "Deployment"), objects.stream().map(HasMetadata::getKind).sorted().toList());
    assertTrue(objects.stream().allMatch(o -> o.getMetadata().getNamespace() == null),
        "no namespace in the files: kustomization.yaml (or kubectl -n) sets it");
  }

  @Test
  void theExampleDeploymentCarriesTheSidecar() throws IOException {
    SidecarExpectations.defaults("default", List.of("10.96.0.10")).assertPod(examplePod());
  }

  @Test
  void thePolicyConfigMapHoldsWhatThePolicyDirectoryNeeds() throws IOException {
    ConfigMap policy = KubeObjects.only(objectsOf(RepoFiles.manifests()), ConfigMap.class);

    assertEquals(Map.of("mode", "enforce", "insecure-domains", ""), policy.getData());
    assertEquals(policy.getMetadata().getName(),
        SidecarExpectations.volume(examplePod(), "dnssec-proxy-policy").getConfigMap().getName());
  }

  @Test
  void theFirstSearchDomainFollowsTheKustomizationNamespace() throws IOException {
    JsonNode kustomization = yaml(RepoFiles.manifests().resolve("kustomization.yaml"));
    String namespace = kustomization.path("namespace").asText();

    assertEquals(namespace + ".svc.cluster.local", examplePod().getDnsConfig().getSearches().get(0), "as shipped");
    JsonNode replacement = kustomization.path("replacements").get(0);
    assertEquals("metadata.namespace", replacement.path("source").path("fieldPath").asText());
    JsonNode target = replacement.path("targets").get(0);
    assertEquals("spec.template.spec.dnsConfig.searches.0", target.path("fieldPaths").get(0).asText());
    assertEquals(".", target.path("options").path("delimiter").asText());
    assertEquals(0, target.path("options").path("index").asInt(-1), "only the first label is the namespace");
  }

  @Test
  void theMonitoringComponentScrapesTheExamplePods() throws IOException {
    Path component = RepoFiles.manifests().resolve("monitoring");
    assertEquals("Component", yaml(component.resolve("kustomization.yaml")).path("kind").asText());
    List<HasMetadata> objects = objectsOf(component);
    Service service = KubeObjects.only(objects, Service.class);
    ServiceMonitor monitor = KubeObjects.only(objects, ServiceMonitor.class);
    Deployment example = KubeObjects.only(objectsOf(RepoFiles.manifests()), Deployment.class);

    assertTrue(example.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(service.getSpec().getSelector().entrySet()));
    assertTrue(service.getMetadata().getLabels().entrySet().containsAll(monitor.getSpec().getSelector().getMatchLabels().entrySet()));
    assertEquals("dnsproxy-admin", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
    assertEquals("dnsproxy-admin", monitor.getSpec().getEndpoints().get(0).getPort());
  }

  @Test
  void theMonitoringComponentsAlertsAreTheChartsPrometheusRule() throws IOException {
    String rendered = HelmRunner.template(RepoFiles.chart(), "dnssec-proxy", "default",
        "upstream: ['10.96.0.10']\nprometheusRule: {enabled: true}\n", scratch);
    PrometheusRule chart = KubeObjects.only(KubeObjects.parse(rendered, "helm template"), PrometheusRule.class);
    PrometheusRule plain = KubeObjects.only(objectsOf(RepoFiles.manifests().resolve("monitoring")), PrometheusRule.class);
    assertEquals(chart.getSpec(), plain.getSpec());
  }

  @Test
  void thePodSpecIsWhatTheChartRendersWithItsDefaults() throws IOException {
    String rendered = HelmRunner.template(RepoFiles.chart(), "dnssec-proxy", "default", "upstream: ['10.96.0.10']\n", scratch);
    PodSpec chart = KubeObjects.only(KubeObjects.parse(rendered, "helm template"), Deployment.class).getSpec().getTemplate().getSpec();
    PodSpec plain = examplePod();

    assertEquals(chart.getInitContainers(), plain.getInitContainers(), "the sidecar container");
    assertEquals(chart.getContainers(), plain.getContainers(), "the example app");
    assertEquals(chart.getVolumes(), plain.getVolumes());
    assertEquals(chart.getDnsPolicy(), plain.getDnsPolicy());
    assertEquals(chart.getDnsConfig(), plain.getDnsConfig());
    assertEquals(chart.getSecurityContext(), plain.getSecurityContext());
  }
}
