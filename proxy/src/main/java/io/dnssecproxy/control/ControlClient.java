package io.dnssecproxy.control;

import io.dnssecproxy.config.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The HTTP side of the control command: one request to the admin server, bounded in time. */
final class ControlClient {

  /** The admin server's answer. */
  record Reply(int status, String body) {
    boolean ok() {
      return status / 100 == 2;
    }
  }

  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final InetSocketAddress admin;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

  /** @param token sent as a bearer token when not null */
  ControlClient(InetSocketAddress admin, String token) {
    this.admin = admin;
    this.token = token;
  }

  /** @param pathAndQuery already URL-encoded */
  Reply send(String method, String pathAndQuery, String body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + HostPort.format(admin) + pathAndQuery))
        .timeout(TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }
}
