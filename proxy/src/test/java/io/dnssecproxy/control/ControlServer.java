package io.dnssecproxy.control;

import io.dnssecproxy.cache.ResponseCache;
import io.dnssecproxy.config.AdminToken;
import io.dnssecproxy.observe.AdminServer;
import io.dnssecproxy.observe.ChangeLog;
import io.dnssecproxy.observe.ProxyMetrics;
import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.policy.ModeSwitch;
import io.dnssecproxy.testing.MutableClock;
import io.dnssecproxy.validation.KeyCache;
import io.dnssecproxy.validation.NegativeTrustAnchors;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.xbill.DNS.Name;

/**
 * The control API on a real admin server at 127.0.0.1 (free port), over live components that
 * tests can inspect, plus an HTTP client with short timeouts.
 */
final class ControlServer implements AutoCloseable {

  final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
  final List<String> lines = new CopyOnWriteArrayList<>();
  final ModeSwitch mode = new ModeSwitch(Mode.ENFORCE);
  final NegativeTrustAnchors configured;
  final AtomicReference<NegativeTrustAnchors> insecure;
  final ResponseCache cache = new ResponseCache(100, true, Duration.ofHours(1), clock);
  final KeyCache keys = new KeyCache(100, clock);
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final ProxyMetrics metrics = new ProxyMetrics(registry);
  private final Vertx vertx = Vertx.vertx();
  private final AdminServer admin;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  /**
   * @param accessAddress the address access is judged by (the server itself always binds 127.0.0.1)
   * @param policyDir null for none
   */
  ControlServer(Optional<AdminToken> token, InetSocketAddress accessAddress, Path policyDir) {
    try {
      configured = NegativeTrustAnchors.of(List.of(Name.fromString("cluster.local.")));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    insecure = new AtomicReference<>(configured);
    ChangeLog log = new ChangeLog(lines::add, clock);
    LivePolicy policy = new LivePolicy(mode, insecure, Mode.ENFORCE, configured, () -> {
      keys.clear();
      cache.flushAll();
    }, log);
    PolicyDirWatcher watcher = policyDir == null ? null
        : new PolicyDirWatcher(policyDir, io.dnssecproxy.policy.PolicyFiles.NONE, policy, log);
    if (watcher != null) {
      watcher.check();
    }
    ControlApi api = new ControlApi(policy, new CacheControl(cache, keys, metrics, log), watcher, new AdminAccess(token, accessAddress), null, null);
    admin = new AdminServer(vertx, new InetSocketAddress("127.0.0.1", 0), registry, () -> null, api);
    admin.start().await();
  }

  ControlServer() {
    this(Optional.empty(), new InetSocketAddress("127.0.0.1", 9153), null);
  }

  int port() {
    return admin.actualPort();
  }

  HttpResponse<String> send(String method, String pathAndQuery, String body, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + pathAndQuery))
        .timeout(Duration.ofSeconds(5))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(String method, String pathAndQuery, String body) throws Exception {
    return send(method, pathAndQuery, body, null);
  }

  @Override
  public void close() {
    admin.close().await();
    vertx.close().await();
  }
}
