package io.dnssecproxy.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.MainAccess;
import io.dnssecproxy.config.AdminToken;
import io.dnssecproxy.policy.Mode;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** {@code dnssec-proxy control ...} against a live control API on 127.0.0.1. */
class ControlCommandTest {

  private ControlServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private MainAccess.Run control(Map<String, String> env, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "control";
    all[1] = "--admin";
    all[2] = "127.0.0.1:" + server.port();
    System.arraycopy(args, 0, all, 3, args.length);
    return MainAccess.run(env, all);
  }

  private MainAccess.Run control(String... args) {
    return control(Map.of(), args);
  }

  @Test
  void modeWithAnArgumentSwitchesTheRunningProxyAndPrintsTheJsonAnswer() {
    server = new ControlServer();
    MainAccess.Run r = control("mode", "permissive");
    assertEquals(0, r.exit(), r.err());
    assertEquals(Mode.PERMISSIVE, server.mode.get());
    assertEquals("permissive", new JsonObject(r.out()).getString("mode"));
    assertEquals("enforce", new JsonObject(r.out()).getString("previous"));
  }

  @Test
  void statusAndModeWithoutArgumentShowTheState() {
    server = new ControlServer();
    MainAccess.Run status = control("status");
    assertEquals(0, status.exit(), status.err());
    assertEquals("enforce", new JsonObject(status.out()).getString("mode"));
    assertTrue(new JsonObject(status.out()).containsKey("cache"));
    assertEquals("enforce", new JsonObject(control("mode").out()).getString("mode"));
  }

  @Test
  void insecureAddRemoveAndListChangeTheDomainsInForce() throws Exception {
    server = new ControlServer();
    assertEquals(0, control("insecure-add", "corp.example").exit());
    assertTrue(server.insecure.get().covers(Name.fromString("www.corp.example.")));
    assertTrue(control("insecure-list").out().contains("\"corp.example.\""));
    assertEquals(0, control("insecure-remove", "corp.example").exit());
    assertFalse(server.insecure.get().covers(Name.fromString("www.corp.example.")));
  }

  @Test
  void flushWithAndWithoutANameFlushes() {
    server = new ControlServer();
    assertEquals("all", new JsonObject(control("flush").out()).getString("flushed"));
    assertEquals("example.", new JsonObject(control("flush", "example").out()).getString("flushed"));
  }

  @Test
  void aRefusedRequestExitsOneWithTheServersMessageOnOneLine() {
    server = new ControlServer();
    MainAccess.Run r = control("mode", "strict");
    assertEquals(1, r.exit());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("dnssec-proxy: control: unknown mode 'strict'"), r.err());
    assertTrue(r.err().contains("(HTTP 400)"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void theTokenComesFromTheEnvironmentLikeTheProxysOwn() {
    server = new ControlServer(Optional.of(new AdminToken("s3cret")), new InetSocketAddress("127.0.0.1", 9153), null);
    MainAccess.Run without = control("mode", "permissive");
    assertEquals(1, without.exit());
    assertTrue(without.err().contains("HTTP 403"), without.err());
    MainAccess.Run with = control(Map.of("DNSSEC_PROXY_ADMIN_TOKEN", "s3cret"), "mode", "permissive");
    assertEquals(0, with.exit(), with.err());
    assertEquals(Mode.PERMISSIVE, server.mode.get());
    MainAccess.Run flag = control("--admin-token", "s3cret", "mode", "enforce");
    assertEquals(0, flag.exit(), flag.err());
  }

  @Test
  void anUnreachableAdminServerExitsOneWithOneLineNamingIt() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    MainAccess.Run r = MainAccess.run(Map.of(), "control", "--admin", "127.0.0.1:" + port, "status");
    assertEquals(1, r.exit());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("dnssec-proxy: control: cannot reach the admin server at 127.0.0.1:" + port + ": connection refused"),
        r.err());
  }

  @Test
  void withoutACommandTheUsageIsShownWithExitTwo() {
    MainAccess.Run r = MainAccess.run(Map.of(), "control");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("insecure-add"), r.err());
  }

  @Test
  void theAdminAddressDefaultsToTheProxysOwnSettingWithWildcardsReachedOverLoopback() {
    assertEquals(new InetSocketAddress("127.0.0.1", 9153), ControlCommand.adminAddress(null));
    assertEquals(new InetSocketAddress("127.0.0.1", 9154), ControlCommand.adminAddress("0.0.0.0:9154"));
    assertEquals(new InetSocketAddress("::1", 9153), ControlCommand.adminAddress("[::]:9153"));
    assertEquals(new InetSocketAddress("10.0.0.5", 9153), ControlCommand.adminAddress("10.0.0.5"));
    MainAccess.Run off = MainAccess.run(Map.of("DNSSEC_PROXY_ADMIN_LISTEN", "off"), "control", "status");
    assertEquals(2, off.exit());
    assertTrue(off.err().contains("admin server is off"), off.err());
  }
}
