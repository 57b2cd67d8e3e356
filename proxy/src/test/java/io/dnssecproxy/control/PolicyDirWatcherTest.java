package io.dnssecproxy.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.observe.ChangeLog;
import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.policy.ModeSwitch;
import io.dnssecproxy.policy.PolicyFiles;
import io.dnssecproxy.testing.MutableClock;
import io.dnssecproxy.validation.NegativeTrustAnchors;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

class PolicyDirWatcherTest {

  @TempDir Path dir;

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
  private final ModeSwitch mode = new ModeSwitch(Mode.ENFORCE);
  private final NegativeTrustAnchors configured = NegativeTrustAnchors.of(List.of(n("cluster.local.")));
  private final AtomicReference<NegativeTrustAnchors> insecure = new AtomicReference<>(configured);
  private final LivePolicy policy = new LivePolicy(mode, insecure, Mode.ENFORCE, configured, () -> { },
      new ChangeLog(lines::add, clock));

  private static Name n(String s) {
    try {
      return Name.fromString(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private PolicyDirWatcher watcher() {
    return new PolicyDirWatcher(dir, PolicyFiles.NONE, policy, new ChangeLog(lines::add, clock));
  }

  private void write(String file, String content) throws Exception {
    Files.writeString(dir.resolve(file), content);
  }

  private long rejectedLines() {
    return lines.stream().filter(l -> new JsonObject(l).getString("event").equals("policy-rejected")).count();
  }

  @Test
  void anEditedModeFileIsApplied() throws Exception {
    PolicyDirWatcher w = watcher();
    write("mode", "permissive\n");
    w.check();
    assertEquals(Mode.PERMISSIVE, mode.get());
    assertEquals("policy-dir", new JsonObject(lines.get(0)).getString("source"));
  }

  @Test
  void anEditedDomainFileIsApplied() throws Exception {
    PolicyDirWatcher w = watcher();
    write("insecure-domains", "corp.example\nlab.example\n");
    w.check();
    assertTrue(insecure.get().covers(n("www.lab.example.")));
    assertTrue(insecure.get().covers(n("svc.cluster.local.")), "configured domains stay");
  }

  @Test
  void anUnchangedFileIsNotAppliedAgainSoApiChangesHold() throws Exception {
    PolicyDirWatcher w = watcher();
    write("mode", "permissive");
    w.check();
    policy.setMode(Mode.ENFORCE, io.dnssecproxy.observe.ChangeSource.api("127.0.0.1"));
    w.check();
    assertEquals(Mode.ENFORCE, mode.get());
  }

  @Test
  void anInvalidFileIsRefusedOnceAndTheLastGoodPolicyStays() throws Exception {
    PolicyDirWatcher w = watcher();
    write("mode", "permissive");
    write("insecure-domains", "corp.example");
    w.check();
    write("mode", "strict");
    write("insecure-domains", "corp.example\nbad..name");
    w.check();
    w.check();
    assertEquals(Mode.PERMISSIVE, mode.get());
    assertTrue(insecure.get().covers(n("corp.example.")));
    assertEquals(2, rejectedLines(), lines.toString());
    JsonObject line = new JsonObject(lines.stream().filter(l -> l.contains("strict")).findFirst().orElseThrow());
    assertEquals(dir.resolve("mode").toString(), line.getString("file"));
    assertTrue(line.getString("error").contains("unknown mode 'strict'"), line.encode());
    assertEquals(List.of("insecure-domains", "mode"), List.copyOf(w.rejected().keySet()));
  }

  @Test
  void aFixedFileIsAppliedAndNoLongerCountsAsRejected() throws Exception {
    PolicyDirWatcher w = watcher();
    write("mode", "strict");
    w.check();
    write("mode", "permissive");
    w.check();
    assertEquals(Mode.PERMISSIVE, mode.get());
    assertTrue(w.rejected().isEmpty());
  }

  @Test
  void aDeletedFileMeansNoOverride() throws Exception {
    PolicyDirWatcher w = watcher();
    write("mode", "permissive");
    write("insecure-domains", "corp.example");
    w.check();
    Files.delete(dir.resolve("mode"));
    Files.delete(dir.resolve("insecure-domains"));
    w.check();
    assertEquals(Mode.ENFORCE, mode.get());
    assertFalse(insecure.get().covers(n("corp.example.")));
  }

  @Test
  void aVanishedDirectoryIsReportedOnceAndThePolicyStays() throws Exception {
    PolicyDirWatcher w = watcher();
    write("mode", "permissive");
    w.check();
    Files.delete(dir.resolve("mode"));
    Files.delete(dir);
    w.check();
    w.check();
    assertEquals(Mode.PERMISSIVE, mode.get());
    assertEquals(1, rejectedLines());
    assertEquals(List.of("."), List.copyOf(w.rejected().keySet()));
    Files.createDirectory(dir);
    w.check();
    assertTrue(w.rejected().isEmpty());
    assertEquals(Mode.ENFORCE, mode.get(), "the directory is back without a mode file");
  }

  @Test
  void theStartUpContentsAreTheBaselineNotAChange() throws Exception {
    write("mode", "permissive");
    PolicyDirWatcher w = new PolicyDirWatcher(dir, PolicyFiles.read(dir), policy, new ChangeLog(lines::add, clock));
    w.check();
    assertEquals(Mode.ENFORCE, mode.get(), "applied at start-up by the proxy, not again by the watcher");
    assertTrue(lines.isEmpty());
  }

  @Test
  void onARealTimerAnEditAppliesWithinAFewPolls() throws Exception {
    Vertx vertx = Vertx.vertx();
    PolicyDirWatcher w = watcher();
    try {
      w.start(vertx, Duration.ofMillis(50));
      write("mode", "permissive");
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (mode.get() != Mode.PERMISSIVE && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(Mode.PERMISSIVE, mode.get());
    } finally {
      w.stop();
      vertx.close().await();
    }
  }
}
