package io.dnssecproxy;

import static io.dnssecproxy.testing.Eventually.eventually;

import static io.dnssecproxy.lab.LabWorld.BADSIG_WWW;
import static io.dnssecproxy.lab.LabWorld.NOW;
import static io.dnssecproxy.lab.LabWorld.SECURE_WWW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.lab.LabUpstream;
import io.dnssecproxy.lab.LabWorld;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Operating a real proxy on 127.0.0.1: the metrics scrape, the probes, the control API and the
 * policy directory, each seen through DNS answers and the admin HTTP server.
 */
class ProxyOperationsTest {

  /** The policy directory is polled every 2 s; an edit must show well within this. */
  private static final Duration POLICY_DEADLINE = Duration.ofSeconds(8);

  @TempDir Path policyDir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private Vertx vertx;
  private LabUpstream upstream;
  private ProxyHarness proxy;

  @BeforeEach
  void startUpstream() {
    vertx = Vertx.vertx();
    upstream = LabUpstream.forHierarchy(vertx).start().await();
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    upstream.close();
    vertx.close().await();
  }

  private void startProxy() throws Exception {
    proxy = ProxyHarness.start(vertx, upstream.address(), Clock.systemUTC(), o -> {
      o.trustAnchorFile = LabWorld.get().trustAnchorFile().toString();
      o.now = NOW.toString();
      o.adminListen = "127.0.0.1:0";
      o.policyDir = policyDir.toString();
    });
  }

  private HttpResponse<String> http(String method, String path, String body) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.server.adminPort() + path))
        .timeout(Duration.ofSeconds(5))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private int badsigRcode() throws Exception {
    return proxy.query(BADSIG_WWW, Type.A, false).getRcode();
  }

  private BooleanSupplier badsigRcodeIs(int rcode) {
    return () -> {
      try {
        return badsigRcode() == rcode;
      } catch (Exception e) {
        return false;
      }
    };
  }

  @Test
  void theScrapeShowsQueryCacheUpstreamFrontendValidationAndStateMetrics() throws Exception {
    startProxy();
    proxy.query(SECURE_WWW, Type.A, false);
    proxy.query(SECURE_WWW, Type.A, true);
    badsigRcode();
    HttpResponse<String> r = http("GET", "/metrics", null);
    assertEquals(200, r.statusCode());
    String scrape = r.body();
    String up = "upstream=\"127.0.0.1:" + upstream.port() + "\"";
    for (String expected : new String[] {
        "dnssec_proxy_queries_total{qtype=\"A\",rcode=\"NOERROR\",transport=\"udp\"} 1.0",
        "dnssec_proxy_queries_total{qtype=\"A\",rcode=\"NOERROR\",transport=\"tcp\"} 1.0",
        "dnssec_proxy_answers_total{action=\"blocked\"} 1.0",
        "dnssec_proxy_bogus_total{",
        "dnssec_proxy_cache_hits_total 1.0",
        "dnssec_proxy_cache_misses_total 2.0",
        "dnssec_proxy_cache_entries ",
        "dnssec_proxy_cache_evictions_total 0.0",
        "dnssec_proxy_prefetches_total 0.0",
        "dnssec_proxy_key_cache_entries ",
        "dnssec_proxy_validation_duration_seconds_count ",
        "dnssec_proxy_upstream_queries_total{" + up + "}",
        "dnssec_proxy_upstream_latency_seconds_count{" + up + "}",
        "dnssec_proxy_upstream_up{" + up + "} 1.0",
        "dnssec_proxy_frontend_messages_total{transport=\"tcp\"} 1.0",
        "dnssec_proxy_frontend_messages_total{transport=\"udp\"} 2.0",
        "dnssec_proxy_frontend_tcp_connections_rejected_total 0.0",
        "dnssec_proxy_mode{mode=\"enforce\"} 1.0",
        "dnssec_proxy_insecure_domains ",
        "dnssec_proxy_policy_files_rejected 0.0",
        "dnssec_proxy_trust_anchor_new_ksks{zone=\".\"} 0.0",
        "dnssec_proxy_trust_anchor_unused{zone=\".\"} 0.0",
        "dnssec_proxy_events_suppressed_total 0.0"}) {
      assertTrue(scrape.contains(expected), "scrape lacks " + expected + ":\n" + scrape);
    }
    assertFalse(scrape.contains("dnssec_proxy_upstream_queries_total{" + up + "} 0.0"), "upstream queries were counted");
    // The chart's alerts watch these very series: a renamed metric would silence an alert.
    java.util.regex.Matcher used = java.util.regex.Pattern.compile("dnssec_proxy_[a-z_]+")
        .matcher(Files.readString(io.dnssecproxy.deploy.RepoFiles.chart().resolve("templates/prometheusrule.yaml")));
    int rules = 0;
    while (used.find()) {
      rules++;
      assertTrue(scrape.contains("\n" + used.group() + "{") || scrape.contains("\n" + used.group() + " "),
          "the chart's PrometheusRule uses " + used.group() + ", which the proxy does not export");
    }
    assertEquals(5, rules, "the four alerts' metrics and dnssec_proxy_bogus_total, which a description points to");
  }

  @Test
  void healthzIsOkAndReadyzTurnsReadyOnceTheUpstreamAnswered() throws Exception {
    startProxy();
    assertEquals("ok\n", http("GET", "/healthz", null).body());
    eventually(() -> {
      try {
        return http("GET", "/readyz", null).statusCode() == 200;
      } catch (Exception e) {
        return false;
      }
    }, Duration.ofSeconds(5), "/readyz 200");
  }

  @Test
  void anInsecureDomainAddedOverTheApiAnswersABogusNameAtOnceAndRemovingItBlocksAgain() throws Exception {
    startProxy();
    assertEquals(Rcode.SERVFAIL, badsigRcode());
    assertEquals(200, http("POST", "/control/insecure-domains/add?name=badsig.test", null).statusCode());
    Message answered = proxy.query(BADSIG_WWW, Type.A, false);
    assertEquals(Rcode.NOERROR, answered.getRcode(), "the cached bogus verdict was forgotten");
    assertFalse(answered.getHeader().getFlag(Flags.AD));
    assertEquals(200, http("POST", "/control/insecure-domains/remove?name=badsig.test", null).statusCode());
    assertEquals(Rcode.SERVFAIL, badsigRcode());
    assertTrue(proxy.events.stream().anyMatch(l -> l.contains("\"change\":\"insecure-domains\"")), proxy.events.toString());
  }

  @Test
  void switchingToPermissiveOverTheApiPassesTheCachedBogusAnswer() throws Exception {
    startProxy();
    assertEquals(Rcode.SERVFAIL, badsigRcode());
    assertEquals(200, http("PUT", "/control/mode", "permissive").statusCode());
    assertEquals(Rcode.NOERROR, badsigRcode());
    assertEquals("permissive", new JsonObject(http("GET", "/control/status", null).body()).getString("mode"));
  }

  @Test
  void theStatusShowsEachTrustAnchorZoneUncheckedThenCheckedAgainstItsKeys() throws Exception {
    startProxy();
    JsonObject before = new JsonObject(http("GET", "/control/status", null).body());
    assertEquals(new io.vertx.core.json.JsonArray().add(new JsonObject().put("zone", ".").put("checked", false)),
        before.getJsonArray("trustAnchors"));
    proxy.query(SECURE_WWW, Type.A, false); // validating it validates the root's key set
    JsonObject after = new JsonObject(http("GET", "/control/status", null).body());
    assertEquals(new io.vertx.core.json.JsonArray().add(new JsonObject().put("zone", ".").put("checked", true)
        .put("newKsks", new io.vertx.core.json.JsonArray()).put("unusedAnchors", new io.vertx.core.json.JsonArray())),
        after.getJsonArray("trustAnchors"));
  }

  @Test
  void thePolicyDirectorySetsTheModeAtStartUpAndItsEditsApplyWithinSeconds() throws Exception {
    Files.writeString(policyDir.resolve("mode"), "permissive\n");
    startProxy();
    assertEquals(Rcode.NOERROR, badsigRcode(), "started in the directory's mode");
    Files.writeString(policyDir.resolve("mode"), "enforce\n");
    eventually(badsigRcodeIs(Rcode.SERVFAIL), POLICY_DEADLINE, "mode file edit applied");
    Files.writeString(policyDir.resolve("insecure-domains"), "# broken zone, ticket 42\nbadsig.test\n");
    eventually(badsigRcodeIs(Rcode.NOERROR), POLICY_DEADLINE, "insecure-domains file edit applied");
  }

  @Test
  void anInvalidPolicyEditIsRefusedAndTheLastGoodPolicyStays() throws Exception {
    startProxy();
    Files.writeString(policyDir.resolve("mode"), "lenient\n");
    eventually(() -> {
      try {
        return http("GET", "/metrics", null).body().contains("dnssec_proxy_policy_files_rejected 1.0");
      } catch (Exception e) {
        return false;
      }
    }, POLICY_DEADLINE, "the bad file counted as rejected");
    assertEquals(Rcode.SERVFAIL, badsigRcode(), "still enforcing");
    assertTrue(proxy.events.stream().anyMatch(l -> l.contains("\"event\":\"policy-rejected\"") && l.contains("lenient")),
        proxy.events.toString());
  }

  @Test
  void theAdminApiTracesTheChainOfTrustLikeTheCheckCommand() throws Exception {
    startProxy();
    HttpResponse<String> json = http("GET", "/control/trace?name=www.nods.test&type=A", null);
    assertEquals(200, json.statusCode(), json.body());
    JsonObject trace = new JsonObject(json.body());
    assertEquals("bogus", trace.getString("verdict"));
    assertEquals(9, trace.getInteger("ede"));
    assertTrue(trace.getJsonArray("steps").stream().anyMatch(o -> "failed".equals(((JsonObject) o).getString("outcome"))));
    HttpResponse<String> text = http("GET", "/control/trace?name=www.secure.test&format=text", null);
    assertTrue(text.body().trim().endsWith("verdict: SECURE"), text.body());
    assertEquals(400, http("GET", "/control/trace?name=www.secure.test&type=NOPE", null).statusCode());
  }
}
