package io.dnssecproxy.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What every pod with the sidecar must look like, whether the chart rendered it or it came
 * from k8s/: the proxy is a native sidecar, the pod resolves through it, it can bind port 53
 * without root, it reads its policy from the ConfigMap as a directory, and its upstream is
 * explicit.
 */
record SidecarExpectations(
    String namespace,
    String clusterDomain,
    List<String> upstreams,
    List<String> searches,
    String ndots,
    String policyConfigMap,
    String policyDir,
    boolean startupProbe,
    boolean readinessProbe,
    boolean livenessProbe) {

  static SidecarExpectations defaults(String namespace, List<String> upstreams) {
    return new SidecarExpectations(namespace, "cluster.local", upstreams,
        List.of(namespace + ".svc.cluster.local", "svc.cluster.local", "cluster.local"),
        "5", "dnssec-proxy-policy", "/etc/dnssec-proxy/policy", true, true, true);
  }

  SidecarExpectations withClusterDomain(String domain) {
    return new SidecarExpectations(namespace, domain, upstreams,
        List.of(namespace + ".svc." + domain, "svc." + domain, domain),
        ndots, policyConfigMap, policyDir, startupProbe, readinessProbe, livenessProbe);
  }

  SidecarExpectations withProbes(boolean startup, boolean readiness, boolean liveness) {
    return new SidecarExpectations(namespace, clusterDomain, upstreams, searches, ndots,
        policyConfigMap, policyDir, startup, readiness, liveness);
  }

  static Container sidecarOf(PodSpec pod) {
    List<Container> found = pod.getInitContainers().stream().filter(c -> c.getName().equals("dnssec-proxy")).toList();
    assertEquals(1, found.size(), "one init container named dnssec-proxy");
    assertTrue(pod.getContainers().stream().noneMatch(c -> c.getName().equals("dnssec-proxy")),
        "the proxy is not an ordinary container (it must start before the app)");
    return found.get(0);
  }

  void assertPod(PodSpec pod) {
    Container proxy = sidecarOf(pod);
    List<String> args = proxy.getArgs();
    assertAll(
        () -> assertEquals("Always", proxy.getRestartPolicy(), "native sidecar: init container with restartPolicy Always"),
        () -> assertEquals(0, pod.getInitContainers().indexOf(proxy), "the proxy is the first init container, so later ones have DNS too"),

        () -> assertEquals("None", pod.getDnsPolicy(), "dnsPolicy None: the pod's resolv.conf is only dnsConfig"),
        () -> assertEquals(List.of("127.0.0.1"), pod.getDnsConfig().getNameservers(), "the only nameserver is the proxy"),
        () -> assertEquals(searches, pod.getDnsConfig().getSearches()),
        () -> assertEquals(ndots, dnsOptions(pod).get("ndots"), "ndots"),

        () -> assertTrue(args.contains("--listen=127.0.0.1:53"), "listens where resolv.conf points: " + args),
        () -> assertEquals(upstreams, values(args, "--upstream"), "explicit upstream(s)"),
        () -> assertEquals(List.of(clusterDomain), values(args, "--cluster-domain")),
        () -> assertEquals(List.of(policyDir), values(args, "--policy-dir")),
        () -> assertEquals(List.of("0.0.0.0:9153"), values(args, "--admin-listen"), "probes and Prometheus reach the pod IP"),
        () -> assertTrue(values(args, "--mode").isEmpty() && values(args, "--insecure-domain").isEmpty(),
            "mode and insecure domains come from the policy ConfigMap only, so a patch is not overridden: " + args),
        () -> assertTrue(upstreams.stream().noneMatch(u -> u.startsWith("127.") || u.startsWith("[::1]")),
            "the upstream is not the pod's own loopback"),

        () -> assertEquals("53", sysctls(pod).get("net.ipv4.ip_unprivileged_port_start"), "port 53 without root"),
        () -> assertEquals(Boolean.TRUE, proxy.getSecurityContext().getRunAsNonRoot()),
        () -> assertEquals(65532L, proxy.getSecurityContext().getRunAsUser()),
        () -> assertEquals(Boolean.TRUE, proxy.getSecurityContext().getReadOnlyRootFilesystem()),
        () -> assertEquals(Boolean.FALSE, proxy.getSecurityContext().getAllowPrivilegeEscalation()),
        () -> assertEquals(List.of("ALL"), proxy.getSecurityContext().getCapabilities().getDrop()),
        () -> assertTrue(proxy.getSecurityContext().getCapabilities().getAdd() == null
            || proxy.getSecurityContext().getCapabilities().getAdd().isEmpty(), "no capability added"),

        () -> {
          VolumeMount policy = mount(proxy, policyDir);
          assertNull(policy.getSubPath(), "policy ConfigMap mounted as a directory: a subPath mount never sees updates");
          assertNull(policy.getSubPathExpr(), "no subPathExpr either");
          Volume volume = volume(pod, policy.getName());
          assertNotNull(volume.getConfigMap(), "the policy volume is a ConfigMap");
          assertEquals(policyConfigMap, volume.getConfigMap().getName());
          assertTrue(volume.getConfigMap().getItems() == null || volume.getConfigMap().getItems().isEmpty(),
              "all keys (mode, insecure-domains) projected");
        },
        () -> assertNotNull(volume(pod, mount(proxy, "/tmp").getName()).getEmptyDir(), "/tmp is an emptyDir (read-only root)"),

        () -> assertEquals("metadata.namespace", proxy.getEnv().stream().filter(e -> e.getName().equals("POD_NAMESPACE"))
            .findFirst().orElseThrow().getValueFrom().getFieldRef().getFieldPath(), "POD_NAMESPACE from the downward API"),
        () -> assertTrue(proxy.getPorts().stream().anyMatch(p -> p.getContainerPort() == 9153 && "dnsproxy-admin".equals(p.getName()))),
        () -> assertProbe("startupProbe", proxy.getStartupProbe(), startupProbe, "/readyz"),
        () -> assertProbe("readinessProbe", proxy.getReadinessProbe(), readinessProbe, "/readyz"),
        () -> assertProbe("livenessProbe", proxy.getLivenessProbe(), livenessProbe, "/healthz"),
        () -> {
          Map<String, Quantity> requests = proxy.getResources().getRequests();
          Map<String, Quantity> limits = proxy.getResources().getLimits();
          assertNotNull(requests.get("memory"), "memory request");
          assertNotNull(limits.get("memory"), "memory limit");
          assertTrue(Quantity.getAmountInBytes(limits.get("memory")).compareTo(Quantity.getAmountInBytes(requests.get("memory"))) >= 0);
          // The image caps the heap at 64 MiB; with metaspace, code cache and the mapped JRE it needs more.
          assertTrue(Quantity.getAmountInBytes(limits.get("memory")).longValue() >= 128L << 20, "memory limit fits the JVM");
        });
  }

  private static void assertProbe(String what, Probe probe, boolean expected, String path) {
    if (!expected) {
      assertNull(probe, what + " disabled");
      return;
    }
    assertNotNull(probe, what);
    assertEquals(path, probe.getHttpGet().getPath(), what + " path");
    assertEquals("dnsproxy-admin", probe.getHttpGet().getPort().getStrVal(), what + " on the admin port");
  }

  static List<String> values(List<String> args, String flag) {
    return args.stream().filter(a -> a.startsWith(flag + "=")).map(a -> a.substring(flag.length() + 1)).toList();
  }

  static Map<String, String> dnsOptions(PodSpec pod) {
    return pod.getDnsConfig().getOptions().stream()
        .collect(Collectors.toMap(PodDNSConfigOption::getName, o -> Optional.ofNullable(o.getValue()).orElse("")));
  }

  static Map<String, String> sysctls(PodSpec pod) {
    return pod.getSecurityContext() == null || pod.getSecurityContext().getSysctls() == null ? Map.of()
        : pod.getSecurityContext().getSysctls().stream().collect(Collectors.toMap(Sysctl::getName, Sysctl::getValue));
  }

  static VolumeMount mount(Container c, String path) {
    return c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " has no mount at " + path));
  }

  static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  static void assertAppUntouched(PodSpec pod) {
    assertFalse(pod.getContainers().isEmpty(), "the application's containers are still there");
  }
}
