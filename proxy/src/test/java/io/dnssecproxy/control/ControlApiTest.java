package io.dnssecproxy.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.cache.CacheKey;
import io.dnssecproxy.cache.CachedAnswer;
import io.dnssecproxy.config.AdminToken;
import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.validation.KeyEntry;
import io.dnssecproxy.validation.Verdict;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The control API over HTTP on 127.0.0.1, against live components. */
class ControlApiTest {

  private ControlServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private ControlServer start() {
    server = new ControlServer();
    return server;
  }

  private static Name n(String s) throws Exception {
    return Name.fromString(s);
  }

  private static JsonObject json(HttpResponse<String> r) {
    assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
    assertTrue(r.body().endsWith("\n") && r.body().indexOf('\n') == r.body().length() - 1, "one line: " + r.body());
    return new JsonObject(r.body());
  }

  private void cacheAnswer(String name) throws Exception {
    Message m = Message.newQuery(Record.newRecord(n(name), Type.A, DClass.IN));
    server.cache.put(new CacheKey(n(name), Type.A, DClass.IN), new CachedAnswer(m, Verdict.secure(), server.clock.instant(), 300));
  }

  private void cacheKey(String zone) throws Exception {
    server.keys.put(new KeyEntry.Insecure(n(zone), Verdict.insecure("test"), server.clock.instant().plus(Duration.ofHours(1))));
  }

  @Test
  void statusShowsModeDomainsAndCacheStatistics() throws Exception {
    start();
    cacheAnswer("www.example.");
    cacheKey("example.");
    server.metrics.cacheHit();
    server.metrics.cacheMiss();
    server.metrics.cacheMiss();
    HttpResponse<String> r = server.send("GET", "/control/status", null);
    assertEquals(200, r.statusCode());
    JsonObject status = json(r);
    assertEquals("enforce", status.getString("mode"));
    assertEquals(new JsonArray().add("cluster.local."), status.getJsonArray("insecureDomains"));
    assertEquals(new JsonObject().put("entries", 1).put("hits", 1).put("misses", 2).put("evictions", 0), status.getJsonObject("cache"));
    assertEquals(new JsonObject().put("entries", 1), status.getJsonObject("keyCache"));
    assertEquals("loopback", status.getString("changes"));
    assertFalse(status.containsKey("policyDir"));
  }

  @Test
  void statusShowsThePolicyDirectoryAndItsRejectedFiles(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("mode"), "sloppy");
    server = new ControlServer(Optional.empty(), new InetSocketAddress("127.0.0.1", 9153), dir);
    JsonObject policyDir = json(server.send("GET", "/control/status", null)).getJsonObject("policyDir");
    assertEquals(dir.toString(), policyDir.getString("path"));
    assertTrue(policyDir.getJsonObject("rejected").getString("mode").contains("sloppy"), policyDir.encode());
  }

  @Test
  void putModeSwitchesAtOnceAndLogsTheChange() throws Exception {
    start();
    HttpResponse<String> r = server.send("PUT", "/control/mode", "permissive\n");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(new JsonObject().put("mode", "permissive").put("previous", "enforce").put("changed", true), json(r));
    assertEquals(Mode.PERMISSIVE, server.mode.get());
    JsonObject line = new JsonObject(server.lines.get(0));
    assertEquals("api", line.getString("source"));
    assertEquals("127.0.0.1", line.getString("client"));
    assertEquals("permissive", json(server.send("GET", "/control/mode", null)).getString("mode"));
  }

  @Test
  void anUnknownModeIsRefusedWith400AndAOneLineMessage() throws Exception {
    start();
    for (String body : new String[] {"strict", "", "x".repeat(1000)}) {
      HttpResponse<String> r = server.send("PUT", "/control/mode", body);
      assertEquals(400, r.statusCode(), body);
      assertFalse(json(r).getString("error").isBlank());
    }
    assertEquals(Mode.ENFORCE, server.mode.get());
    assertTrue(server.lines.isEmpty());
  }

  @Test
  void addingAnInsecureDomainTakesEffectAndForgetsCachedVerdicts() throws Exception {
    start();
    cacheAnswer("www.example.");
    cacheKey("example.");
    HttpResponse<String> r = server.send("POST", "/control/insecure-domains/add?name=Corp.Example", null);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(new JsonObject().put("name", "corp.example.").put("added", true).put("insecureDomains", 2), json(r));
    assertTrue(server.insecure.get().covers(n("www.corp.example.")));
    assertEquals(0, server.cache.size());
    assertEquals(0, server.keys.size());
    JsonArray listed = json(server.send("GET", "/control/insecure-domains", null)).getJsonArray("insecureDomains");
    assertTrue(listed.contains("corp.example."), listed.encode());
  }

  @Test
  void removingAnInsecureDomainValidatesItAgain() throws Exception {
    start();
    server.send("POST", "/control/insecure-domains/add?name=corp.example", null);
    HttpResponse<String> r = server.send("POST", "/control/insecure-domains/remove?name=corp.example.", null);
    assertEquals(200, r.statusCode());
    assertTrue(json(r).getBoolean("removed"));
    assertFalse(server.insecure.get().covers(n("www.corp.example.")));
    assertFalse(json(server.send("POST", "/control/insecure-domains/remove?name=corp.example.", null)).getBoolean("removed"));
  }

  @Test
  void badOrMissingNamesAreRefusedWith400() throws Exception {
    start();
    for (String path : new String[] {"/control/insecure-domains/add", "/control/insecure-domains/add?name=",
        "/control/insecure-domains/add?name=a..b", "/control/insecure-domains/add?name=.",
        "/control/insecure-domains/add?name=a&name=b", "/control/insecure-domains/remove?name=a%20b",
        "/control/cache/flush?name=bad..name"}) {
      HttpResponse<String> r = server.send("POST", path, null);
      assertEquals(400, r.statusCode(), path);
      assertFalse(json(r).getString("error").isBlank(), path);
    }
    assertEquals(1, server.insecure.get().domains().size());
  }

  @Test
  void flushingEverythingEmptiesBothCaches() throws Exception {
    start();
    cacheAnswer("www.example.");
    cacheAnswer("www.other.");
    cacheKey("example.");
    HttpResponse<String> r = server.send("POST", "/control/cache/flush", null);
    assertEquals(new JsonObject().put("flushed", "all").put("answers", 2).put("keys", 1), json(r));
    assertEquals(0, server.cache.size());
    JsonObject line = new JsonObject(server.lines.get(0));
    assertEquals("cache-flush", line.getString("change"));
    assertEquals("all", line.getString("name"));
  }

  @Test
  void flushingANameForgetsItAndEverythingBelowOnly() throws Exception {
    start();
    cacheAnswer("example.");
    cacheAnswer("www.example.");
    cacheAnswer("www.other.");
    cacheKey("example.");
    cacheKey("other.");
    HttpResponse<String> r = server.send("POST", "/control/cache/flush?name=Example", null);
    assertEquals(new JsonObject().put("flushed", "example.").put("answers", 2).put("keys", 1), json(r));
    assertTrue(server.cache.get(new CacheKey(n("www.other."), Type.A, DClass.IN)) != null);
  }

  @Test
  void changesAreRefusedWith403WhenTheAdminServerIsNotOnLoopbackAndHasNoToken() throws Exception {
    server = new ControlServer(Optional.empty(), new InetSocketAddress("0.0.0.0", 9153), null);
    assertEquals(403, server.send("PUT", "/control/mode", "permissive").statusCode());
    assertEquals(403, server.send("POST", "/control/insecure-domains/add?name=corp.example", null).statusCode());
    assertEquals(403, server.send("POST", "/control/cache/flush", null).statusCode());
    assertEquals(Mode.ENFORCE, server.mode.get());
    assertEquals(200, server.send("GET", "/control/status", null).statusCode(), "reading stays open");
  }

  @Test
  void withATokenChangesNeedTheBearerToken() throws Exception {
    server = new ControlServer(Optional.of(new AdminToken("s3cret")), new InetSocketAddress("0.0.0.0", 9153), null);
    HttpResponse<String> refused = server.send("PUT", "/control/mode", "permissive", "Bearer wrong");
    assertEquals(403, refused.statusCode());
    assertEquals("wrong admin token", json(refused).getString("error"));
    assertEquals(403, server.send("PUT", "/control/mode", "permissive").statusCode());
    assertEquals(200, server.send("PUT", "/control/mode", "permissive", "Bearer s3cret").statusCode());
    assertEquals(Mode.PERMISSIVE, server.mode.get());
  }

  @Test
  void theWrongMethodGets405WithAllowAndAnUnknownPath404() throws Exception {
    start();
    HttpResponse<String> r = server.send("GET", "/control/cache/flush", null);
    assertEquals(405, r.statusCode());
    assertEquals("POST", r.headers().firstValue("allow").orElse(""));
    assertEquals(405, server.send("POST", "/control/mode", "permissive").statusCode());
    assertEquals(404, server.send("GET", "/control/nope", null).statusCode());
    assertEquals(Mode.ENFORCE, server.mode.get());
  }
}
