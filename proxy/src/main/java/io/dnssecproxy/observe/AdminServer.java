package io.dnssecproxy.observe;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The admin HTTP server: Prometheus scrape at {@code /metrics}, liveness at {@code /healthz}
 * and readiness at {@code /readyz}, for Kubernetes probes, and the runtime control API under
 * {@code /control/} when one is given. It runs on the proxy's own event loop, so a /healthz
 * answer proves that loop is not stuck.
 */
public final class AdminServer {

  private final Vertx vertx;
  private final InetSocketAddress address;
  private final PrometheusMeterRegistry registry;
  private final Supplier<String> notReadyReason;
  private final Handler<HttpServerRequest> control;
  private HttpServer server;

  /** @param notReadyReason null when ready, else why not (shown in the /readyz body) */
  public AdminServer(Vertx vertx, InetSocketAddress address, PrometheusMeterRegistry registry, Supplier<String> notReadyReason) {
    this(vertx, address, registry, notReadyReason, null);
  }

  /** @param control handles every path under /control/; null for none */
  public AdminServer(Vertx vertx, InetSocketAddress address, PrometheusMeterRegistry registry, Supplier<String> notReadyReason,
      Handler<HttpServerRequest> control) {
    this.vertx = vertx;
    this.address = address;
    this.registry = registry;
    this.notReadyReason = notReadyReason;
    this.control = control;
  }

  public Future<Void> start() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(address.getPort(), address.getAddress().getHostAddress())
        .recover(err -> Future.failedFuture(new IllegalStateException(
            "admin server cannot listen on " + address.getAddress().getHostAddress() + ":" + address.getPort() + ": " + err.getMessage(), err)))
        .mapEmpty();
  }

  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    if (control != null && req.path().startsWith("/control/")) {
      control.handle(req);
      return;
    }
    switch (req.path()) {
      case "/metrics" -> req.response()
          .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
          .end(registry.scrape());
      case "/healthz" -> req.response().end("ok\n");
      case "/readyz" -> {
        String reason = notReadyReason.get();
        if (reason == null) {
          req.response().end("ready\n");
        } else {
          req.response().setStatusCode(503).end("not ready: " + reason + "\n");
        }
      }
      default -> req.response().setStatusCode(404)
          .end("not found; try /metrics, /healthz, /readyz" + (control == null ? "" : " or /control/status") + "\n");
    }
  }
}
