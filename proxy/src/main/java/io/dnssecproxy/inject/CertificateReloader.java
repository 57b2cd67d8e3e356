package io.dnssecproxy.inject;

import io.dnssecproxy.observe.JsonLine;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.ServerSSLOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Follows a renewed certificate (cert-manager rewriting the Secret, the kubelet swapping the
 * mounted files) without a restart: the files are read every period and a new pair is handed
 * to the running server. A pair is applied only once two readings in a row agree, so a reading
 * taken between the certificate and the key of a renewal is never served.
 */
final class CertificateReloader {

  private final Vertx vertx;
  private final HttpServer server;
  private final TlsFiles files;
  private final Consumer<String> log;
  private final Clock clock;
  private TlsFiles.Contents applied;
  private TlsFiles.Contents lastSeen;
  private long timer = -1;

  CertificateReloader(Vertx vertx, HttpServer server, TlsFiles files, TlsFiles.Contents applied, Consumer<String> log, Clock clock) {
    this.vertx = vertx;
    this.server = server;
    this.files = files;
    this.applied = applied;
    this.lastSeen = applied;
    this.log = log;
    this.clock = clock;
  }

  void start(Duration period) {
    timer = vertx.setPeriodic(period.toMillis(), id -> vertx.executeBlocking(files::read, false).onComplete(read -> {
      if (read.failed()) {
        log.accept(new JsonLine(clock.instant(), "tls-reload-failed").field("error", String.valueOf(read.cause())).toString());
        return;
      }
      TlsFiles.Contents now = read.result();
      if (now.equals(lastSeen) && !now.equals(applied)) {
        applied = now;
        server.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(now.options())).onComplete(done ->
            log.accept((done.succeeded()
                ? new JsonLine(clock.instant(), "tls-reloaded").field("cert", files.cert().toString())
                : new JsonLine(clock.instant(), "tls-reload-failed").field("error", String.valueOf(done.cause()))).toString()));
      }
      lastSeen = now;
    }));
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
