package io.dnssecproxy.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AdmissionHandlerTest {

  private final SidecarTemplate template = Reviews.template();
  private final InjectorMetrics metrics = new InjectorMetrics(new SimpleMeterRegistry());
  private final List<String> log = new ArrayList<>();
  private final AdmissionHandler handler =
      new AdmissionHandler(template, metrics, log::add, Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC));

  private static JsonObject response(JsonObject answer) {
    return answer.getJsonObject("response");
  }

  private static List<String> names(JsonArray items) {
    return items.stream().map(o -> ((JsonObject) o).getString("name")).toList();
  }

  private static Map<String, String> byName(JsonArray items) {
    return items.stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(o -> o.getString("name"), o -> o.getString("value", "")));
  }

  private static List<String> warnings(JsonObject answer) {
    JsonArray w = response(answer).getJsonArray("warnings");
    return w == null ? List.of() : w.stream().map(String.class::cast).toList();
  }

  @Test
  void aPlainPodGetsTheChartsSidecarFirstWithItsVolumesDnsSysctlAndAnnotations() {
    JsonObject review = Reviews.review("plain-pod");
    JsonObject answer = handler.review(review);

    assertEquals("admission.k8s.io/v1", answer.getString("apiVersion"));
    assertEquals("AdmissionReview", answer.getString("kind"));
    assertEquals("0df28fbd-5f5f-11e8-bc74-36e6bb280816", response(answer).getString("uid"));
    assertEquals(true, response(answer).getBoolean("allowed"));
    assertEquals("JSONPatch", response(answer).getString("patchType"));
    assertEquals(List.of(), warnings(answer));

    JsonObject spec = Reviews.patchedPod(review, answer).getJsonObject("spec");
    assertEquals(new JsonArray().add(template.initContainer()), spec.getJsonArray("initContainers"),
        "the pod had no initContainers: the array is added, holding exactly the chart's sidecar");
    assertEquals(template.volumes(), spec.getJsonArray("volumes"));
    assertEquals("None", spec.getString("dnsPolicy"));
    assertEquals(new JsonObject()
        .put("nameservers", new JsonArray().add("127.0.0.1"))
        .put("options", new JsonArray().add(new JsonObject().put("name", "ndots").put("value", "5")).add(new JsonObject().put("name", "trust-ad")))
        .put("searches", new JsonArray().add("shop.svc.cluster.local").add("svc.cluster.local").add("cluster.local")),
        spec.getJsonObject("dnsConfig"), "the chart's dnsConfig with the pod's namespace in the searches");
    assertEquals(Map.of("net.ipv4.ip_unprivileged_port_start", "53"), byName(spec.getJsonObject("securityContext").getJsonArray("sysctls")));
    assertEquals(Reviews.review("plain-pod").getJsonObject("request").getJsonObject("object").getJsonObject("spec").getJsonArray("containers"),
        spec.getJsonArray("containers"), "the application's containers are untouched");
    JsonObject annotations = Reviews.patchedPod(review, answer).getJsonObject("metadata").getJsonObject("annotations");
    assertEquals("namespace", annotations.getString("dnssec-proxy.io/injected"));
    assertEquals("9153", annotations.getString("prometheus.io/port"));
    assertEquals(1.0, metrics.reviews(InjectorMetrics.Review.INJECTED));
    assertTrue(log.get(0).contains("\"event\":\"injected\"") && log.get(0).contains("shop/cart-7c9d8b6f5-*"), log.get(0));
  }

  @Test
  void anExistingDnsConfigIsMergedButOnlyTheProxyRemainsANameserver() {
    JsonObject review = Reviews.review("existing-dns-config");
    JsonObject answer = handler.review(review);
    JsonObject pod = Reviews.patchedPod(review, answer);
    JsonObject spec = pod.getJsonObject("spec");
    JsonObject dns = spec.getJsonObject("dnsConfig");

    assertEquals("None", spec.getString("dnsPolicy"));
    assertEquals(new JsonArray().add("127.0.0.1"), dns.getJsonArray("nameservers"), "another nameserver would bypass validation");
    assertEquals(new JsonArray().add("payments.svc.cluster.local").add("svc.cluster.local").add("cluster.local").add("corp.example"),
        dns.getJsonArray("searches"), "the pod's own searches follow the cluster's, without repeats");
    assertEquals(Map.of("ndots", "2", "trust-ad", "", "edns0", ""), byName(dns.getJsonArray("options")), "the pod's ndots wins");
    assertTrue(warnings(answer).stream().anyMatch(w -> w.contains("10.0.0.53")), warnings(answer).toString());
  }

  @Test
  void existingInitContainersVolumesSysctlsAndAnnotationsAreKept() {
    JsonObject review = Reviews.review("existing-dns-config");
    JsonObject answer = handler.review(review);
    JsonObject pod = Reviews.patchedPod(review, answer);
    JsonObject spec = pod.getJsonObject("spec");
    JsonObject annotations = pod.getJsonObject("metadata").getJsonObject("annotations");

    assertEquals(List.of("dnssec-proxy", "migrate"), names(spec.getJsonArray("initContainers")), "the proxy first, so migrate has DNS");
    assertEquals(List.of("data", "dnssec-proxy-policy", "dnssec-proxy-tmp"), names(spec.getJsonArray("volumes")));
    assertEquals(Map.of("net.ipv4.tcp_keepalive_time", "600", "net.ipv4.ip_unprivileged_port_start", "53"),
        byName(spec.getJsonObject("securityContext").getJsonArray("sysctls")), "1024 would stop the proxy binding port 53");
    assertEquals(true, spec.getJsonObject("securityContext").getBoolean("runAsNonRoot"));
    assertTrue(warnings(answer).stream().anyMatch(w -> w.contains("ip_unprivileged_port_start")), warnings(answer).toString());
    assertEquals("payments", annotations.getString("team"));
    assertEquals("8081", annotations.getString("prometheus.io/port"), "an application scraped already keeps its own scrape port");
    assertNull(annotations.getString("prometheus.io/path"));
    assertEquals("namespace", annotations.getString("dnssec-proxy.io/injected"));
    assertTrue(Reviews.patch(answer).stream().map(o -> ((JsonObject) o).getString("path"))
        .anyMatch("/metadata/annotations/dnssec-proxy.io~1injected"::equals), "the / in the key is escaped as ~1");
  }

  @Test
  void aLowerUnprivilegedPortStartOfThePodIsKept() {
    JsonObject review = Reviews.review("existing-dns-config");
    review.getJsonObject("request").getJsonObject("object").getJsonObject("spec").getJsonObject("securityContext")
        .getJsonArray("sysctls").getJsonObject(1).put("value", "0");

    JsonObject spec = Reviews.patchedPod(review, handler.review(review)).getJsonObject("spec");

    assertEquals("0", byName(spec.getJsonObject("securityContext").getJsonArray("sysctls")).get("net.ipv4.ip_unprivileged_port_start"),
        "0 lets the proxy bind 53 too, and the application asked for it");
  }

  @Test
  void aModeAnnotationPinsThePodsModeAgainstTheNamespacesConfigMap() {
    JsonObject review = Reviews.review("mode-annotation");
    JsonObject answer = handler.review(review);
    JsonObject pod = Reviews.patchedPod(review, answer);
    JsonObject spec = pod.getJsonObject("spec");
    JsonObject sidecar = spec.getJsonArray("initContainers").getJsonObject(0);
    JsonObject policy = spec.getJsonArray("volumes").stream().map(JsonObject.class::cast)
        .filter(v -> v.getString("name").equals("dnssec-proxy-policy")).findFirst().orElseThrow();

    assertEquals("--mode=permissive", sidecar.getJsonArray("args").getString(sidecar.getJsonArray("args").size() - 1));
    assertEquals(new JsonArray().add(new JsonObject().put("key", "insecure-domains").put("path", "insecure-domains")),
        policy.getJsonObject("configMap").getJsonArray("items"), "no mode file: the namespace's mode cannot override --mode");
    assertEquals("pod", pod.getJsonObject("metadata").getJsonObject("annotations").getString("dnssec-proxy.io/injected"));
    assertEquals(List.of("cache", "dnssec-proxy-policy", "dnssec-proxy-tmp"), names(spec.getJsonArray("volumes")));
    assertEquals(2000, spec.getJsonObject("securityContext").getInteger("fsGroup"));
    assertEquals(Map.of("net.ipv4.ip_unprivileged_port_start", "53"), byName(spec.getJsonObject("securityContext").getJsonArray("sysctls")),
        "securityContext without sysctls: the array is added");
  }

  @Test
  void withoutTheAnnotationThePodFollowsTheWholeConfigMap() {
    JsonObject review = Reviews.review("plain-pod");
    JsonObject spec = Reviews.patchedPod(review, handler.review(review)).getJsonObject("spec");

    assertFalse(spec.getJsonArray("initContainers").getJsonObject(0).getJsonArray("args").stream().anyMatch(a -> ((String) a).startsWith("--mode")));
    assertNull(spec.getJsonArray("volumes").getJsonObject(0).getJsonObject("configMap").getValue("items"));
  }

  @Test
  void anUnknownModeInTheAnnotationWarnsAndFallsBackToTheNamespace() {
    JsonObject review = Reviews.review("mode-annotation");
    review.getJsonObject("request").getJsonObject("object").getJsonObject("metadata").getJsonObject("annotations").put("dnssec-proxy.io/mode", "strict");
    JsonObject answer = handler.review(review);

    JsonObject sidecar = Reviews.patchedPod(review, answer).getJsonObject("spec").getJsonArray("initContainers").getJsonObject(0);
    assertFalse(sidecar.getJsonArray("args").stream().anyMatch(a -> ((String) a).startsWith("--mode")));
    assertTrue(warnings(answer).stream().anyMatch(w -> w.contains("strict")), warnings(answer).toString());
  }

  @Test
  void aPodThatAlreadyHasTheSidecarIsLeftAlone() {
    JsonObject answer = handler.review(Reviews.review("sidecar-present"));

    assertEquals(true, response(answer).getBoolean("allowed"));
    assertNull(Reviews.patch(answer));
    assertEquals(List.of(), warnings(answer));
    assertEquals(1.0, metrics.reviews(InjectorMetrics.Review.SKIPPED));
  }

  @Test
  void reviewingAnInjectedPodAgainChangesNothing() {
    JsonObject review = Reviews.review("existing-dns-config");
    JsonObject injected = Reviews.patchedPod(review, handler.review(review));
    review.getJsonObject("request").put("object", injected);

    assertNull(Reviews.patch(handler.review(review)));
  }

  @Test
  void theOptOutAnnotationKeepsTheSidecarOut() {
    JsonObject answer = handler.review(Reviews.review("opt-out"));

    assertEquals(true, response(answer).getBoolean("allowed"));
    assertNull(Reviews.patch(answer));
    assertTrue(log.get(0).contains("opted out"), log.get(0));
  }

  @Test
  void hostNetworkPodsAreNotInjected() {
    JsonObject review = Reviews.review("plain-pod");
    review.getJsonObject("request").getJsonObject("object").getJsonObject("spec").put("hostNetwork", true);
    JsonObject answer = handler.review(review);

    assertNull(Reviews.patch(answer));
    assertTrue(warnings(answer).stream().anyMatch(w -> w.contains("hostNetwork")), warnings(answer).toString());
  }

  @Test
  void aVolumeNameTakenByThePodSkipsInjectionRatherThanBreakingThePod() {
    JsonObject review = Reviews.review("plain-pod");
    review.getJsonObject("request").getJsonObject("object").getJsonObject("spec")
        .put("volumes", new JsonArray().add(new JsonObject().put("name", "dnssec-proxy-tmp").put("emptyDir", new JsonObject())));
    JsonObject answer = handler.review(review);

    assertNull(Reviews.patch(answer));
    assertTrue(warnings(answer).stream().anyMatch(w -> w.contains("dnssec-proxy-tmp")), warnings(answer).toString());
  }

  @Test
  void onlyPodCreationsArePatched() {
    JsonObject review = Reviews.review("plain-pod");
    review.getJsonObject("request").put("operation", "UPDATE");

    assertNull(Reviews.patch(handler.review(review)));
  }

  @Test
  void anInjectorErrorAdmitsThePodUnchangedWithAWarning() {
    JsonObject answer = handler.review(Reviews.review("broken-pod"));

    assertEquals("9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b44", response(answer).getString("uid"));
    assertEquals(true, response(answer).getBoolean("allowed"), "never refuse a pod because of the injector");
    assertNull(response(answer).getString("patch"));
    assertNull(response(answer).getString("patchType"));
    assertTrue(warnings(answer).get(0).startsWith("dnssec-proxy: injector error, pod admitted without the sidecar"), warnings(answer).toString());
    assertEquals(1.0, metrics.reviews(InjectorMetrics.Review.FAILED));
    assertTrue(log.get(0).contains("\"event\":\"inject-failed\"") && log.get(0).contains("shop/odd"), log.get(0));
  }

  @Test
  void aBodyWithoutARequestUidIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> handler.review(Reviews.review("malformed")));
    assertThrows(IllegalArgumentException.class, () -> handler.review(new JsonObject().put("request", "x")));
    assertThrows(IllegalArgumentException.class, () -> handler.review(null));
  }
}
