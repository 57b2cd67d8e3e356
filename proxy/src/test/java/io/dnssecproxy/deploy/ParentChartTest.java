package io.dnssecproxy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented way to use the chart: another chart depends on it and includes the named
 * templates in its own pod spec (src/test/resources/deploy/parent-chart).
 */
class ParentChartTest {

  @TempDir Path scratch;

  private List<HasMetadata> render(String values) {
    Path parent = HelmRunner.copyTree(RepoFiles.root().resolve("proxy/src/test/resources/deploy/parent-chart"), scratch.resolve("shop"));
    HelmRunner.copyTree(RepoFiles.chart(), parent.resolve("charts/dnssec-proxy"));
    return KubeObjects.parse(HelmRunner.template(parent, "shop", "payments", values, scratch), "helm template (parent chart)");
  }

  @Test
  void theIncludedTemplatesAddTheSidecarToTheParentsOwnPod() {
    List<HasMetadata> objects = render("{}\n");

    Deployment shop = KubeObjects.only(objects, Deployment.class);
    assertEquals("shop", shop.getMetadata().getName(), "the subchart's example Deployment is off");
    PodSpec pod = shop.getSpec().getTemplate().getSpec();
    SidecarExpectations.defaults("payments", List.of("10.96.0.10")).assertPod(pod);

    assertEquals(List.of("dnssec-proxy", "migrate"), pod.getInitContainers().stream().map(Container::getName).toList(),
        "the parent's own init container still runs, after the proxy, so it has DNS");
    assertEquals(List.of("shop"), pod.getContainers().stream().map(Container::getName).toList());
    assertEquals(Map.of("net.ipv4.tcp_keepalive_time", "600", "net.ipv4.ip_unprivileged_port_start", "53"),
        SidecarExpectations.sysctls(pod), "the parent's sysctls are kept");
    assertEquals("payments", shop.getSpec().getTemplate().getMetadata().getAnnotations().get("team"));
    assertEquals("9153", shop.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/port"));
  }

  @Test
  void theSubchartStillCreatesTheNamespacesPolicyConfigMapFromTheParentsValues() {
    List<HasMetadata> objects = render("dnssec-proxy:\n  mode: permissive\n");

    ConfigMap policy = KubeObjects.only(objects, ConfigMap.class);
    assertEquals("payments", policy.getMetadata().getNamespace());
    assertEquals("permissive", policy.getData().get("mode"));
  }

  @Test
  void theParentsValuesReachTheSidecar() {
    PodSpec pod = KubeObjects.only(render("dnssec-proxy:\n  clusterDomain: corp.example\n  upstream: ['10.0.0.10', '10.0.0.11']\n"),
        Deployment.class).getSpec().getTemplate().getSpec();

    SidecarExpectations.defaults("payments", List.of("10.0.0.10", "10.0.0.11")).withClusterDomain("corp.example").assertPod(pod);
  }

  @Test
  void withoutAnUpstreamTheParentChartFailsToRender() {
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> render("dnssec-proxy:\n  upstream: []\n"));
    assertTrue(e.getMessage().contains("upstream"), e.getMessage());
  }
}
