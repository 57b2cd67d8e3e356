package io.dnssecproxy.control;

import io.dnssecproxy.config.HostPort;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dnssec-proxy control ...}: shows or changes a running proxy through its admin server,
 * like unbound-control. Prints the server's JSON answer; on any failure one line on stderr and
 * exit code 1.
 */
@Command(
    name = "control",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {"Show or change a running proxy through its admin HTTP server (like unbound-control).", ""},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:refused or failed (message on stderr)", "2:bad usage"})
public final class ControlCommand implements Callable<Integer> {

  static final int DEFAULT_ADMIN_PORT = 9153;

  @Option(names = {"--admin", "--admin-listen"}, paramLabel = "HOST:PORT",
      description = "The proxy's admin server. Default: DNSSEC_PROXY_ADMIN_LISTEN (a wildcard address means this host), else 127.0.0.1:9153.")
  String admin;

  @Option(names = "--admin-token", paramLabel = "TOKEN",
      description = "Bearer token for changes, when the proxy has one. Default: DNSSEC_PROXY_ADMIN_TOKEN.")
  String token;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  @Command(name = "status", description = "Mode, insecure domains, cache and key-cache statistics, policy directory state, trust anchors.")
  int status() {
    return send("GET", "/control/status", null);
  }

  @Command(name = "mode", description = "Show the mode, or switch it at once.")
  int mode(@Parameters(arity = "0..1", paramLabel = "enforce|permissive") String mode) {
    return mode == null ? send("GET", "/control/mode", null) : send("PUT", "/control/mode", mode);
  }

  @Command(name = "insecure-list", description = "List the insecure domains (negative trust anchors) in force.")
  int insecureList() {
    return send("GET", "/control/insecure-domains", null);
  }

  @Command(name = "insecure-add", description = "Stop validating NAME and below; clears the caches.")
  int insecureAdd(@Parameters(paramLabel = "NAME") String name) {
    return send("POST", "/control/insecure-domains/add?name=" + encode(name), null);
  }

  @Command(name = "insecure-remove", description = "Validate NAME again; clears the caches.")
  int insecureRemove(@Parameters(paramLabel = "NAME") String name) {
    return send("POST", "/control/insecure-domains/remove?name=" + encode(name), null);
  }

  @Command(name = "flush", description = "Forget cached answers and zone keys: all, or NAME and below.")
  int flush(@Parameters(arity = "0..1", paramLabel = "NAME") String name) {
    return send("POST", "/control/cache/flush" + (name == null ? "" : "?name=" + encode(name)), null);
  }

  private int send(String method, String path, String body) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    InetSocketAddress server;
    try {
      server = adminAddress(admin);
    } catch (IllegalArgumentException e) {
      err.println("dnssec-proxy: control: --admin: " + e.getMessage());
      return 2;
    }
    ControlClient.Reply reply;
    try {
      reply = new ControlClient(server, token).send(method, path, body);
    } catch (IOException e) {
      err.println("dnssec-proxy: control: cannot reach the admin server at " + HostPort.format(server) + ": " + describe(e));
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("dnssec-proxy: control: interrupted");
      return 1;
    }
    JsonObject json;
    try {
      json = new JsonObject(reply.body());
    } catch (DecodeException e) {
      err.println("dnssec-proxy: control: HTTP " + reply.status() + " from " + HostPort.format(server) + " with a body that is not JSON");
      return 1;
    }
    if (!reply.ok()) {
      err.println("dnssec-proxy: control: " + json.getString("error", "HTTP " + reply.status()) + " (HTTP " + reply.status() + ")");
      return 1;
    }
    out.println(json.encodePrettily());
    out.flush();
    return 0;
  }

  /** The address to connect to: a wildcard listen address is reached through loopback. */
  static InetSocketAddress adminAddress(String text) {
    if (text == null) {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_ADMIN_PORT);
    }
    if (text.trim().equalsIgnoreCase("off")) {
      throw new IllegalArgumentException("the admin server is off; the proxy must run with --admin-listen HOST:PORT");
    }
    InetSocketAddress a = HostPort.parse(text, DEFAULT_ADMIN_PORT);
    if (a.getAddress().isAnyLocalAddress()) {
      return HostPort.parse((a.getAddress().getAddress().length == 4 ? "127.0.0.1" : "[::1]") + ":" + a.getPort(), DEFAULT_ADMIN_PORT);
    }
    return a;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String describe(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused (is the proxy running with its admin server there?)";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no answer within " + ControlClient.TIMEOUT.toSeconds() + " s";
    }
    String m = e.getMessage();
    if (m == null && e.getCause() != null) {
      m = e.getCause().getMessage();
    }
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
