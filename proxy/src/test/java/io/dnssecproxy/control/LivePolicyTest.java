package io.dnssecproxy.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.observe.ChangeLog;
import io.dnssecproxy.observe.ChangeSource;
import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.policy.ModeSwitch;
import io.dnssecproxy.testing.MutableClock;
import io.dnssecproxy.validation.NegativeTrustAnchors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class LivePolicyTest {

  private static final ChangeSource API = ChangeSource.api("127.0.0.1");

  private final List<String> lines = new ArrayList<>();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
  private final ModeSwitch mode = new ModeSwitch(Mode.ENFORCE);
  private final NegativeTrustAnchors configured = NegativeTrustAnchors.of(List.of(n("cluster.local."), n("corp.example.")));
  private final AtomicReference<NegativeTrustAnchors> insecure = new AtomicReference<>(configured);
  private final AtomicInteger cachesCleared = new AtomicInteger();
  private final LivePolicy policy = new LivePolicy(mode, insecure, Mode.ENFORCE, configured, cachesCleared::incrementAndGet,
      new ChangeLog(lines::add, clock));

  private static Name n(String s) {
    try {
      return Name.fromString(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private JsonObject lastLine() {
    return new JsonObject(lines.get(lines.size() - 1));
  }

  @Test
  void switchingTheModeTakesEffectAtOnceAndIsLoggedWithItsSource() {
    assertEquals(Mode.ENFORCE, policy.setMode(Mode.PERMISSIVE, API));
    assertEquals(Mode.PERMISSIVE, mode.get());
    JsonObject line = lastLine();
    assertEquals("2026-06-01T00:00:00Z", line.getString("time"));
    assertEquals("control", line.getString("event"));
    assertEquals("api", line.getString("source"));
    assertEquals("127.0.0.1", line.getString("client"));
    assertEquals("mode", line.getString("change"));
    assertEquals("enforce", line.getString("from"));
    assertEquals("permissive", line.getString("to"));
  }

  @Test
  void settingTheModeInForceChangesAndLogsNothing() {
    policy.setMode(Mode.ENFORCE, API);
    assertTrue(lines.isEmpty());
  }

  @Test
  void addingADomainMakesItInsecureClearsTheCachesAndLogsIt() {
    assertTrue(policy.addInsecureDomain(n("Lab.Example."), API));
    assertTrue(insecure.get().covers(n("www.lab.example.")));
    assertEquals(1, cachesCleared.get());
    assertEquals(new JsonArray().add("lab.example."), lastLine().getJsonArray("added"));
    assertEquals(new JsonArray(), lastLine().getJsonArray("removed"));
  }

  @Test
  void addingADomainAlreadyInForceChangesNothing() {
    assertFalse(policy.addInsecureDomain(n("corp.example."), API));
    assertEquals(0, cachesCleared.get());
    assertTrue(lines.isEmpty());
  }

  @Test
  void removingADomainValidatesItAgainAndRemovingAnAbsentOneIsANoOp() {
    assertTrue(policy.removeInsecureDomain(n("corp.example."), API));
    assertFalse(insecure.get().covers(n("www.corp.example.")));
    assertEquals(1, cachesCleared.get());
    assertEquals(new JsonArray().add("corp.example."), lastLine().getJsonArray("removed"));
    assertFalse(policy.removeInsecureDomain(n("corp.example."), API));
    assertFalse(policy.removeInsecureDomain(n("svc.cluster.local."), API), "only covered by its parent");
    assertEquals(1, cachesCleared.get());
  }

  @Test
  void aPolicyModeOverridesAndItsRemovalBringsBackTheConfiguredMode() {
    policy.applyPolicyMode(Optional.of(Mode.PERMISSIVE));
    assertEquals(Mode.PERMISSIVE, mode.get());
    assertEquals("policy-dir", lastLine().getString("source"));
    assertTrue(lastLine().containsKey("client") && lastLine().getValue("client") == null);
    policy.applyPolicyMode(Optional.empty());
    assertEquals(Mode.ENFORCE, mode.get());
  }

  @Test
  void policyDomainsAreAddedToTheConfiguredOnesAndReplaceEarlierApiChanges() {
    policy.addInsecureDomain(n("api.example."), API);
    policy.removeInsecureDomain(n("corp.example."), API);
    policy.applyPolicyDomains(List.of(n("file.example.")));
    assertEquals(java.util.Set.of(n("cluster.local."), n("corp.example."), n("file.example.")), policy.insecureDomains());
    JsonObject line = lastLine();
    assertEquals(new JsonArray().add("corp.example.").add("file.example."), line.getJsonArray("added"));
    assertEquals(new JsonArray().add("api.example."), line.getJsonArray("removed"));
  }

  @Test
  void anApiModeChangeHoldsUntilThePolicyModeFileChanges() {
    policy.applyPolicyDomains(List.of(n("file.example.")));
    policy.setMode(Mode.PERMISSIVE, API);
    policy.applyPolicyDomains(List.of(n("file.example."), n("more.example.")));
    assertEquals(Mode.PERMISSIVE, mode.get(), "a domain file change leaves the mode alone");
  }
}
