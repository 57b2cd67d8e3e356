package io.dnssecproxy.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin server's probes and scrape, over real HTTP on 127.0.0.1 (a free port). */
class AdminServerTest {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicReference<String> notReady = new AtomicReference<>("no upstream has answered yet");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private Vertx vertx;
  private AdminServer admin;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    admin = new AdminServer(vertx, new InetSocketAddress("127.0.0.1", 0), registry, notReady::get);
    admin.start().await();
  }

  @AfterEach
  void stop() {
    admin.close().await();
    vertx.close().await();
  }

  private HttpResponse<String> get(String path) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.actualPort() + path))
        .timeout(Duration.ofSeconds(5)).build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void portZeroBindsAFreePortThatIsReported() {
    assertTrue(admin.actualPort() > 0, String.valueOf(admin.actualPort()));
  }

  @Test
  void healthzAnswersOkWhileTheEventLoopRuns() throws Exception {
    HttpResponse<String> r = get("/healthz");
    assertEquals(200, r.statusCode());
    assertEquals("ok\n", r.body());
  }

  @Test
  void readyzSays503WithTheReasonUntilReadyThen200() throws Exception {
    HttpResponse<String> before = get("/readyz");
    assertEquals(503, before.statusCode());
    assertEquals("not ready: no upstream has answered yet\n", before.body());
    notReady.set(null);
    HttpResponse<String> after = get("/readyz");
    assertEquals(200, after.statusCode());
    assertEquals("ready\n", after.body());
  }

  @Test
  void metricsIsThePrometheusTextOfTheRegistry() throws Exception {
    Counter.builder("dnssec.proxy.cache.hits").register(registry).increment(3);
    HttpResponse<String> r = get("/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"), r.headers().toString());
    assertTrue(r.body().contains("dnssec_proxy_cache_hits_total 3.0"), r.body());
  }

  @Test
  void controlPathsAre404WithoutAControlApiAndOtherPathsToo() throws Exception {
    assertEquals(404, get("/control/status").statusCode());
    assertEquals(404, get("/").statusCode());
  }
}
