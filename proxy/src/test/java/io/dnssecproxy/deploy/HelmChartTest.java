package io.dnssecproxy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** helm/dnssec-proxy rendered by a real Helm, for several value sets, checked as API objects. */
class HelmChartTest {

  private static final String NS = "shop";
  private static final String UPSTREAM = "upstream: ['10.96.0.10']\n";

  @TempDir Path scratch;

  private List<HasMetadata> render(String values) {
    return KubeObjects.parse(HelmRunner.template(RepoFiles.chart(), "web", NS, values, scratch), "helm template");
  }

  private static PodSpec examplePod(List<HasMetadata> objects) {
    return KubeObjects.only(objects, Deployment.class).getSpec().getTemplate().getSpec();
  }

  @Test
  void lintStrictPassesOnceTheRequiredUpstreamIsSet() throws Exception {
    // helm-java's lint takes no --set: lint a copy whose values.yaml sets the one required value.
    Path chart = HelmRunner.copyTree(RepoFiles.chart(), scratch.resolve("chart"));
    Path values = chart.resolve("values.yaml");
    Files.writeString(values, Files.readString(values).replace("upstream: []", "upstream: ['10.96.0.10']"));

    LintResult lint = HelmRunner.lintStrict(chart);

    assertFalse(lint.isFailed(), () -> String.join("\n", lint.getMessages()));
    assertTrue(lint.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
        () -> String.join("\n", lint.getMessages()));
  }

  @Test
  void lintStrictPassesWithTheInjectorOnToo() throws Exception {
    // Lint renders every template, NOTES.txt included, which `helm template` leaves out.
    Path chart = HelmRunner.copyTree(RepoFiles.chart(), scratch.resolve("chart"));
    Path values = chart.resolve("values.yaml");
    String text = Files.readString(values);
    String on = text.replace("upstream: []", "upstream: ['10.96.0.10']").replace("injector:\n  enabled: false", "injector:\n  enabled: true");
    assertNotEquals(text.replace("upstream: []", "upstream: ['10.96.0.10']"), on, "values.yaml no longer has `injector:\n  enabled: false`");
    Files.writeString(values, on);

    LintResult lint = HelmRunner.lintStrict(chart);

    assertFalse(lint.isFailed(), () -> String.join("\n", lint.getMessages()));
    assertTrue(lint.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
        () -> String.join("\n", lint.getMessages()));
  }

  @Test
  void lintOfTheShippedChartFailsOnlyForTheMissingUpstream() {
    LintResult lint = HelmRunner.lintStrict(RepoFiles.chart());

    assertTrue(lint.isFailed(), "values.yaml leaves upstream empty on purpose: there is no safe default");
    String messages = String.join("\n", lint.getMessages());
    List<String> schemaPaths = lint.getMessages().stream().filter(m -> m.contains("[ERROR]") && m.contains(" at '/")).toList();
    assertEquals(1, schemaPaths.size(), messages);
    assertTrue(schemaPaths.get(0).contains("at '/upstream'"), messages);
  }

  @Test
  void defaultsRenderTheSidecarPolicyConfigMapAndExampleOnly() {
    List<HasMetadata> objects = render(UPSTREAM);

    assertEquals(List.of("ConfigMap", "Deployment"), objects.stream().map(HasMetadata::getKind).sorted().toList());
    SidecarExpectations.defaults(NS, List.of("10.96.0.10")).assertPod(examplePod(objects));
    ConfigMap policy = KubeObjects.only(objects, ConfigMap.class);
    assertEquals("dnssec-proxy-policy", policy.getMetadata().getName());
    assertEquals(NS, policy.getMetadata().getNamespace());
    assertEquals(Map.of("mode", "enforce", "insecure-domains", ""), policy.getData());
    Map<String, String> annotations = KubeObjects.only(objects, Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations();
    assertEquals(Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "9153", "prometheus.io/path", "/metrics"), annotations);
    assertEquals("dnssec-proxy:0.1.0", SidecarExpectations.sidecarOf(examplePod(objects)).getImage());
    assertTrue(SidecarExpectations.sidecarOf(examplePod(objects)).getCommand().isEmpty(), "the image's entrypoint runs unchanged");
  }

  @Test
  void permissiveModeAndInsecureDomainsGoToThePolicyConfigMapOnly() {
    List<HasMetadata> objects = render(UPSTREAM + "mode: permissive\ninsecureDomains: [corp.example, lab.internal.example.]\n");

    assertEquals(Map.of("mode", "permissive", "insecure-domains", "corp.example\nlab.internal.example."),
        KubeObjects.only(objects, ConfigMap.class).getData());
    SidecarExpectations.defaults(NS, List.of("10.96.0.10")).assertPod(examplePod(objects));
  }

  @Test
  void customClusterDomainChangesTheFlagAndTheSearches() {
    List<HasMetadata> objects = render(UPSTREAM + "clusterDomain: k8s.example.org\n");

    SidecarExpectations.defaults(NS, List.of("10.96.0.10")).withClusterDomain("k8s.example.org").assertPod(examplePod(objects));
  }

  @Test
  void severalUpstreamsKeepTheirOrderAndIpv6IsAccepted() {
    List<HasMetadata> objects = render("upstream: ['10.96.0.10:53', '[fd00:10:96::a]:53', 'fd00:10:96::b']\n");

    SidecarExpectations.defaults(NS, List.of("10.96.0.10:53", "[fd00:10:96::a]:53", "fd00:10:96::b")).assertPod(examplePod(objects));
  }

  @Test
  void ndotsSearchesAndOptionsAreConfigurable() {
    PodSpec pod = examplePod(render(UPSTREAM + "dns: {enabled: true, ndots: 2, searches: [a.example, b.example], options: [{name: edns0}]}\n"));

    assertEquals(List.of("a.example", "b.example"), pod.getDnsConfig().getSearches());
    assertEquals(Map.of("ndots", "2", "edns0", ""), SidecarExpectations.dnsOptions(pod));
  }

  @Test
  void trustAdIsOnByDefaultSoGlibcPassesTheProxysAdBit() {
    assertTrue(SidecarExpectations.dnsOptions(examplePod(render(UPSTREAM))).containsKey("trust-ad"));
  }

  @Test
  void dnsCanBeLeftToTheCluster() {
    PodSpec pod = examplePod(render(UPSTREAM + "dns: {enabled: false, ndots: 5}\n"));

    assertNull(pod.getDnsPolicy());
    assertNull(pod.getDnsConfig());
  }

  @Test
  void eachProbeCanBeDisabledOnItsOwn() {
    List<HasMetadata> objects = render(UPSTREAM + """
        probes:
          startup: {enabled: false}
          readiness: {enabled: true, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 2}
          liveness: {enabled: false}
        """);

    SidecarExpectations.defaults(NS, List.of("10.96.0.10")).withProbes(false, true, false).assertPod(examplePod(objects));
    assertEquals(5, SidecarExpectations.sidecarOf(examplePod(objects)).getReadinessProbe().getPeriodSeconds());
  }

  @Test
  void serviceMonitorRendersAHeadlessServiceOverTheExamplePods() {
    List<HasMetadata> objects = render(UPSTREAM + "serviceMonitor: {enabled: true, labels: {release: prom}}\n");

    Service service = KubeObjects.only(objects, Service.class);
    ServiceMonitor monitor = KubeObjects.only(objects, ServiceMonitor.class);
    Deployment example = KubeObjects.only(objects, Deployment.class);
    assertEquals("None", service.getSpec().getClusterIP());
    assertTrue(example.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(service.getSpec().getSelector().entrySet()),
        "the Service selects the example pods");
    assertEquals("dnsproxy-admin", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
    assertTrue(service.getMetadata().getLabels().entrySet().containsAll(monitor.getSpec().getSelector().getMatchLabels().entrySet()),
        "the ServiceMonitor selects the Service");
    assertEquals("dnsproxy-admin", monitor.getSpec().getEndpoints().get(0).getPort());
    assertEquals("/metrics", monitor.getSpec().getEndpoints().get(0).getPath());
    assertEquals("prom", monitor.getMetadata().getLabels().get("release"));
    assertEquals(List.of(NS), monitor.getSpec().getNamespaceSelector().getMatchNames());
  }

  @Test
  void prometheusRuleIsOffByDefaultAndCarriesTheFourAlertsWhenOn() {
    assertTrue(render(UPSTREAM).stream().noneMatch(o -> o instanceof PrometheusRule), "off by default");

    List<HasMetadata> objects = render(UPSTREAM + "prometheusRule: {enabled: true, labels: {release: prom}, bogusFor: 30m}\n");
    PrometheusRule rule = KubeObjects.only(objects, PrometheusRule.class);
    assertEquals(NS, rule.getMetadata().getNamespace());
    assertEquals("prom", rule.getMetadata().getLabels().get("release"));
    List<Rule> rules = rule.getSpec().getGroups().get(0).getRules();
    assertEquals(List.of("DnssecProxyTrustAnchorKeyRollover", "DnssecProxyPolicyFileRejected", "DnssecProxyUpstreamsDown",
        "DnssecProxyBogusAnswersBlocked"), rules.stream().map(Rule::getAlert).toList());
    for (Rule r : rules) {
      assertTrue(r.getExpr().getStrVal().contains("by (namespace"), r.getAlert() + " keeps the namespace label");
      assertTrue(List.of("critical", "warning", "info").contains(r.getLabels().get("severity")), r.getAlert());
      assertFalse(r.getAnnotations().get("description").isBlank(), r.getAlert());
    }
    assertEquals("max by (namespace, zone) (dnssec_proxy_trust_anchor_new_ksks) > 0", rules.get(0).getExpr().getStrVal());
    assertTrue(rules.get(0).getAnnotations().get("summary").contains("{{ $labels.zone }}"), "Prometheus templating survives Helm's");
    assertEquals("30m", rules.get(3).getFor());
  }

  @Test
  void serviceMonitorWithoutTheExampleNeedsAPodSelector() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> render(UPSTREAM + "example: {enabled: false}\nserviceMonitor: {enabled: true}\n"));
    assertTrue(e.getMessage().contains("podSelector"), e.getMessage());

    List<HasMetadata> objects = render(UPSTREAM + "example: {enabled: false}\nserviceMonitor: {enabled: true, podSelector: {app: shop}}\n");
    assertEquals(Map.of("app", "shop"), KubeObjects.only(objects, Service.class).getSpec().getSelector());
  }

  @Test
  void withoutTheExampleOnlyThePolicyConfigMapIsRendered() {
    assertEquals(List.of("ConfigMap"), render(UPSTREAM + "example: {enabled: false}\n").stream().map(HasMetadata::getKind).toList());
    assertTrue(render(UPSTREAM + "example: {enabled: false}\npolicy: {create: false, name: dnssec-proxy-policy, mountPath: /p}\n").isEmpty());
  }

  @Test
  void jvmExtraFlagsComeAfterTheImageFlagsAndKeepTheCdsArchive() {
    Container proxy = SidecarExpectations.sidecarOf(examplePod(render(UPSTREAM + "jvmExtraFlags: ['-Xmx128m']\n")));

    assertEquals(List.of("/opt/java/bin/java", "-XX:SharedArchiveFile=/app/dnssec-proxy.jsa", "@/app/jvm.args", "-Xmx128m",
        "-jar", "dnssec-proxy.jar"), proxy.getCommand());
  }

  @Test
  void extraArgsAndEnvAreAppended() {
    Container proxy = SidecarExpectations.sidecarOf(examplePod(render(UPSTREAM
        + "extraArgs: ['--upstream-timeout=800']\nextraEnv: [{name: DNSSEC_PROXY_SERVE_STALE, value: 'false'}]\n")));

    assertEquals("--upstream-timeout=800", proxy.getArgs().get(proxy.getArgs().size() - 1));
    assertTrue(proxy.getEnv().stream().anyMatch(e -> e.getName().equals("DNSSEC_PROXY_SERVE_STALE") && "false".equals(e.getValue())));
  }

  @Test
  void aListenAddressOffLoopbackIsRefusedUnlessAllowed() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> render(UPSTREAM + "listenAddress: 0.0.0.0\n"));
    assertTrue(e.getMessage().contains("open resolver"), e.getMessage());

    List<HasMetadata> objects = render(UPSTREAM + "listenAddress: 0.0.0.0\nallowNonLoopback: true\n");
    Container proxy = KubeObjects.only(objects, Deployment.class).getSpec().getTemplate().getSpec().getInitContainers().get(0);
    assertTrue(proxy.getArgs().containsAll(List.of("--listen=0.0.0.0:53", "--allow-non-loopback=true")), proxy.getArgs().toString());
  }

  @ParameterizedTest(name = "upstream {0} is refused")
  @CsvSource({"127.0.0.1", "127.0.0.1:53"})
  void anUpstreamThatIsTheProxyItselfIsRefused(String upstream) {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> render("upstream: ['" + upstream + "']\n"));
    assertTrue(e.getMessage().contains("forward to itself"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      no upstream                       | upstream: []                                           | upstream
      upstream missing entirely         | upstream: null                                         | upstream
      upstream a host name              | upstream: [kube-dns.kube-system]                       | upstream
      upstream a bad IPv4               | upstream: ['10.96.0.300']                              | upstream
      mode other than enforce/permissive| {upstream: ['10.96.0.10'], mode: strict}               | mode
      misspelt key                      | {upstream: ['10.96.0.10'], insecureDomain: [a.example]} | insecureDomain
      insecure domain not a name        | {upstream: ['10.96.0.10'], insecureDomains: ['a b']}   | insecureDomains
      cluster domain not a name         | {upstream: ['10.96.0.10'], clusterDomain: 'cluster local'} | clusterDomain
      ndots above resolv.conf's cap     | {upstream: ['10.96.0.10'], dns: {enabled: true, ndots: 16}} | ndots
      ndots as a string                 | {upstream: ['10.96.0.10'], dns: {enabled: true, ndots: '5'}} | ndots
      probe enabled not a boolean       | {upstream: ['10.96.0.10'], probes: {startup: {enabled: 'yes'}, readiness: {enabled: true}, liveness: {enabled: true}}} | enabled
      pull policy unknown               | {upstream: ['10.96.0.10'], image: {repository: x, tag: '1', pullPolicy: Sometimes}} | pullPolicy
      scrape interval not a duration    | {upstream: ['10.96.0.10'], serviceMonitor: {enabled: true, interval: 30 seconds}} | interval
      JVM flag not a flag               | {upstream: ['10.96.0.10'], jvmExtraFlags: [Xmx128m]}   | jvmExtraFlags
      """)
  void schemaRejectsBadValues(String what, String values, String field) {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> render(values + "\n"), what);
    assertTrue(e.getMessage().contains("schema") && e.getMessage().contains(field),
        what + ": Helm's message should name the schema and " + field + ": " + e.getMessage());
  }
}
