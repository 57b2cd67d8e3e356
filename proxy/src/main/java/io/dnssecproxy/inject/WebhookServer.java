package io.dnssecproxy.inject;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The webhook's HTTPS server: {@code POST /mutate} for AdmissionReviews, {@code /healthz} and
 * {@code /readyz} for the kubelet's probes ({@code /readyz} also tells the namespace sync's
 * state), {@code /metrics} for Prometheus.
 */
public final class WebhookServer {

  /** Far above any pod (etcd caps objects at 1.5 MiB), far below what would hurt the heap. */
  static final long MAX_BODY_BYTES = 4L << 20;

  private final Vertx vertx;
  private final InetSocketAddress address;
  private final TlsFiles tls;
  private final AdmissionHandler handler;
  private final PrometheusMeterRegistry registry;
  private final Supplier<String> syncState;
  private final Consumer<String> log;
  private final Clock clock;
  private HttpServer server;
  private CertificateReloader reloader;

  public WebhookServer(Vertx vertx, InetSocketAddress address, TlsFiles tls, AdmissionHandler handler,
      PrometheusMeterRegistry registry, Supplier<String> syncState, Consumer<String> log, Clock clock) {
    this.vertx = vertx;
    this.address = address;
    this.tls = tls;
    this.handler = handler;
    this.registry = registry;
    this.syncState = syncState;
    this.log = log;
    this.clock = clock;
  }

  /** Listens with the certificate the files hold now, and checks them every {@code reloadPeriod}. */
  public Future<Void> start(Duration reloadPeriod) {
    TlsFiles.Contents pair;
    try {
      pair = tls.read();
    } catch (IOException e) {
      return Future.failedFuture(new IllegalStateException("cannot read the TLS files: " + e));
    }
    server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(pair.options()))
        .requestHandler(this::handle);
    TlsFiles.Contents first = pair;
    return server.listen(address.getPort(), address.getAddress().getHostAddress())
        .recover(err -> Future.failedFuture(new IllegalStateException(
            "webhook cannot listen on " + address.getAddress().getHostAddress() + ":" + address.getPort() + ": " + err.getMessage(), err)))
        .onSuccess(s -> {
          reloader = new CertificateReloader(vertx, server, tls, first, log, clock);
          reloader.start(reloadPeriod);
        })
        .mapEmpty();
  }

  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  public Future<Void> close() {
    if (reloader != null) {
      reloader.stop();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    switch (req.path()) {
      case "/mutate" -> mutate(req);
      case "/healthz" -> req.response().end("ok\n");
      // Ready while serving: injection needs nothing but the template, so an API server the
      // namespace sync cannot reach must not take the webhook's endpoints away.
      case "/readyz" -> req.response().end("ready; namespace sync: " + syncState.get() + "\n");
      case "/metrics" -> req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
      default -> req.response().setStatusCode(404).end("not found; try POST /mutate, /healthz, /readyz, /metrics\n");
    }
  }

  private void mutate(HttpServerRequest req) {
    if (req.method() != HttpMethod.POST) {
      req.response().setStatusCode(405).putHeader("allow", "POST").end();
      return;
    }
    String length = req.getHeader("content-length");
    if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19 && Long.parseLong(length) > MAX_BODY_BYTES) {
      req.response().setStatusCode(413).setChunked(false).end();
      return;
    }
    req.body().onComplete(body -> {
      if (body.failed()) {
        req.response().setStatusCode(400).end();
        return;
      }
      if (body.result().length() > MAX_BODY_BYTES) {
        req.response().setStatusCode(413).end();
        return;
      }
      try {
        JsonObject answer = handler.review(new JsonObject(body.result()));
        req.response().putHeader("content-type", "application/json").end(answer.toBuffer());
      } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
        log.accept(new io.dnssecproxy.observe.JsonLine(clock.instant(), "review-refused").field("error", e.getMessage()).toString());
        req.response().setStatusCode(400).putHeader("content-type", "application/json")
            .end(new JsonObject().put("error", String.valueOf(e.getMessage())).toBuffer());
      }
    });
  }
}
