package io.dnssecproxy.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook over real HTTPS on 127.0.0.1 (an ephemeral port), with the test certificates in src/test/resources/injector/tls. */
class WebhookServerTest {

  @TempDir Path dir;

  private final Vertx vertx = Vertx.vertx();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final AtomicBoolean synced = new AtomicBoolean(true);
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private WebhookServer server;
  private HttpClient client;

  private record Reply(int status, String body, String peer) {}

  @BeforeEach
  void start() throws Exception {
    useCertificate("a");
    AdmissionHandler handler = new AdmissionHandler(Reviews.template(), new InjectorMetrics(registry), log::add, Clock.systemUTC());
    server = new WebhookServer(vertx, new InetSocketAddress("127.0.0.1", 0), new TlsFiles(dir.resolve("tls.crt"), dir.resolve("tls.key")),
        handler, registry, () -> synced.get() ? "synced" : "listing namespaces", log::add, Clock.systemUTC());
    server.start(Duration.ofMillis(100)).await(10, TimeUnit.SECONDS);
    // Trusts both test certificates and checks the host name (the certificates name IP 127.0.0.1);
    // no keep-alive, so every request shows the certificate served at that moment.
    client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true).setKeepAlive(false)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(Reviews.resource("tls/cert-a.pem")))
            .addCertValue(Buffer.buffer(Reviews.resource("tls/cert-b.pem")))));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void useCertificate(String which) throws Exception {
    // written aside and moved in, as the kubelet swaps a Secret volume's files
    for (String[] f : new String[][] {{"cert-" + which + ".pem", "tls.crt"}, {"key-" + which + ".pem", "tls.key"}}) {
      Path tmp = dir.resolve(f[1] + ".tmp");
      Files.writeString(tmp, Reviews.resource("tls/" + f[0]));
      Files.move(tmp, dir.resolve(f[1]), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private Reply call(HttpMethod method, String path, Buffer body) throws Exception {
    return client.request(new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(server.actualPort()).setURI(path))
        .compose(req -> body == null ? req.send() : req.putHeader("content-type", "application/json").send(body))
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b.toString(), peer(resp))))
        .await(10, TimeUnit.SECONDS);
  }

  private static String peer(HttpClientResponse resp) {
    try {
      return ((X509Certificate) resp.request().connection().peerCertificates().get(0)).getSubjectX500Principal().getName();
    } catch (Exception e) {
      return "unknown: " + e;
    }
  }

  @Test
  void anAdmissionReviewPostedOverHttpsIsAnsweredWithThePatch() throws Exception {
    JsonObject review = Reviews.review("plain-pod");

    Reply reply = call(HttpMethod.POST, "/mutate", review.toBuffer());

    assertEquals(200, reply.status());
    JsonObject answer = new JsonObject(reply.body());
    assertEquals("0df28fbd-5f5f-11e8-bc74-36e6bb280816", answer.getJsonObject("response").getString("uid"));
    assertEquals("dnssec-proxy", Reviews.patchedPod(review, answer).getJsonObject("spec").getJsonArray("initContainers").getJsonObject(0).getString("name"));
    assertTrue(call(HttpMethod.GET, "/metrics", null).body().contains("dnssec_proxy_injector_reviews_total{outcome=\"injected\"} 1.0"));
  }

  @Test
  void aBodyThatIsNoAdmissionReviewGets400() throws Exception {
    assertEquals(400, call(HttpMethod.POST, "/mutate", Buffer.buffer(Reviews.resource("reviews/malformed.json"))).status());
    assertEquals(400, call(HttpMethod.POST, "/mutate", Buffer.buffer("{not json")).status());
    assertEquals(400, call(HttpMethod.POST, "/mutate", Buffer.buffer("[1,2]")).status());
  }

  @Test
  void anOversizedBodyGets413() throws Exception {
    Buffer big = Buffer.buffer(new byte[(int) WebhookServer.MAX_BODY_BYTES + 1]);
    assertEquals(413, call(HttpMethod.POST, "/mutate", big).status());
  }

  @Test
  void onlyPostMutates() throws Exception {
    assertEquals(405, call(HttpMethod.GET, "/mutate", null).status());
    assertEquals(404, call(HttpMethod.GET, "/", null).status());
  }

  @Test
  void probesAnswerAndReadinessDoesNotWaitForTheNamespaceSync() throws Exception {
    assertEquals(200, call(HttpMethod.GET, "/healthz", null).status());
    assertEquals("ready; namespace sync: synced\n", call(HttpMethod.GET, "/readyz", null).body());
    synced.set(false);
    Reply notSynced = call(HttpMethod.GET, "/readyz", null);
    assertEquals(200, notSynced.status(), "injection needs no API server");
    assertEquals("ready; namespace sync: listing namespaces\n", notSynced.body());
  }

  @Test
  void aRenewedCertificateIsServedWithoutARestart() throws Exception {
    assertTrue(call(HttpMethod.GET, "/healthz", null).peer().contains("test a"));

    useCertificate("b");

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String peer;
    while (!(peer = call(HttpMethod.GET, "/healthz", null).peer()).contains("test b")) {
      assertTrue(System.nanoTime() < deadline, "still serving " + peer);
      Thread.sleep(50);
    }
    assertTrue(log.stream().anyMatch(l -> l.contains("\"event\":\"tls-reloaded\"")), log.toString());
  }
}
