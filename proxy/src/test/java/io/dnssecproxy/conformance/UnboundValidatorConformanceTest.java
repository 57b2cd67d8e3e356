package io.dnssecproxy.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays Unbound's validator regression scenarios ({@code val_*.rpl}) against a validating
 * forwarder, one dynamic test per file.
 *
 * <ul>
 *   <li>{@code -Dconformance.forwarder=<name>} picks the forwarder (see
 *       {@link ForwarderCatalog}); {@code -Drpl.dir=<dir>} the scenario folder (see
 *       {@link RplDirectory}). Without the folder the whole test is skipped.
 *   <li>{@code conformance/unbound-val-skip.txt}: scenarios whose premise a single-upstream
 *       forwarding validator cannot meet; reported as skipped with their reason.
 *   <li>{@code conformance/unbound-val-known-failures-<forwarder>.txt}: scenarios expected
 *       to fail for now. Their failure is reported but passes; if one passes it fails, so the
 *       list can only shrink.
 * </ul>
 *
 * <p>Scenarios are independent and run a few at a time on a pool; each dynamic test waits for
 * its own result, and a summary line is printed at the end.
 */
class UnboundValidatorConformanceTest {

  private static final String SKIP_LIST = "unbound-val-skip.txt";
  private static final String KNOWN_FAILURES = "unbound-val-known-failures";
  /** The machine is small and shared; three scenarios at a time keeps it responsive. */
  private static final int PARALLEL_SCENARIOS = 3;
  private static final long SCENARIO_TIMEOUT_SECONDS = 60;

  private static final ConformanceTally TALLY = new ConformanceTally();
  private static String forwarderName = ForwarderCatalog.DEFAULT;
  private static Vertx vertx;
  private static ExecutorService pool;

  @TestFactory
  Stream<DynamicNode> unboundValidatorScenarios() throws IOException {
    Path dir = RplDirectory.unboundValidator();
    if (!Files.isDirectory(dir)) {
      // A skipped dynamic test (rather than an aborted factory) so the reason shows up in
      // the test report; surefire does not report aborted containers.
      String why = "Unbound validator scenarios not found at " + dir + " (expected "
          + "<repo-root>/../shared/rpl/unbound-val, or set -D" + RplDirectory.PROPERTY
          + "=<dir>): skipping the conformance run";
      System.out.println(why);
      return Stream.of(DynamicTest.dynamicTest("unbound-val scenarios", () -> Assumptions.abort(why)));
    }

    forwarderName = ForwarderCatalog.selectedName();
    ValidatingForwarderUnderTest forwarder = ForwarderCatalog.create(forwarderName);
    Map<String, String> skip = ConformanceList.load(SKIP_LIST);
    // Each forwarder has its own list (a missing file means none); no fallback between them.
    Map<String, String> known = ConformanceList.load(KNOWN_FAILURES + "-" + forwarderName + ".txt");
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(p -> p.getFileName().toString().endsWith(".rpl")).sorted().toList();
    }

    vertx = Vertx.vertx();
    pool = Executors.newFixedThreadPool(PARALLEL_SCENARIOS);
    RplScenarioRunner runner = new RplScenarioRunner(vertx, forwarder);
    List<DynamicNode> tests = new ArrayList<>();
    tests.add(DynamicTest.dynamicTest("skip and known-failure lists name existing scenarios",
        () -> checkLists(files, skip, known)));
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (skip.containsKey(name)) {
        tests.add(DynamicTest.dynamicTest(name, () -> {
          TALLY.skipped();
          abort("skip list: " + skip.get(name));
        }));
        continue;
      }
      Future<ScenarioResult> result = pool.submit(() -> runOne(runner, file));
      tests.add(DynamicTest.dynamicTest(name, () -> judge(name, result, known.get(name))));
    }
    return tests.stream();
  }

  @AfterAll
  static void summary() throws Exception {
    if (pool != null) {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (!TALLY.isEmpty()) {
      System.out.println(TALLY.summary(forwarderName));
    }
  }

  private static ScenarioResult runOne(RplScenarioRunner runner, Path file) {
    RplScenario scenario;
    try {
      scenario = RplParser.parse(file);
    } catch (IOException | RuntimeException e) {
      return ScenarioResult.failed(file.getFileName().toString(), "cannot parse: " + e);
    }
    return runner.run(scenario);
  }

  private static void judge(String name, Future<ScenarioResult> pending, String knownReason)
      throws Exception {
    ScenarioResult result = pending.get(SCENARIO_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!result.notes().isEmpty()) {
      if (result.notes().stream().anyMatch(n -> n.contains("TIME_PASSES"))) {
        TALLY.timePassesIgnored(name);
      }
      System.out.println(name + ": notes:\n  " + String.join("\n  ", result.notes()));
    }
    switch (result.status()) {
      case SKIPPED -> {
        TALLY.skipped();
        abort(result.detail());
      }
      case PASS -> {
        TALLY.passed(name, knownReason != null);
        if (knownReason != null) {
          fail(name + " passes now: remove it from the known-failures list (it was listed as: "
              + knownReason + ")");
        }
      }
      case FAIL -> {
        TALLY.failed(name, knownReason != null);
        if (knownReason != null) {
          System.out.println(name + ": KNOWN FAILURE (" + knownReason + ")\n  "
              + result.detail().replace("\n", "\n  "));
        } else {
          fail(name + " does not conform:\n" + result.detail());
        }
      }
    }
  }

  private static void checkLists(List<Path> files, Map<String, String> skip,
      Map<String, String> known) {
    Set<String> names = new TreeSet<>();
    files.forEach(f -> names.add(f.getFileName().toString()));
    List<String> problems = new ArrayList<>();
    for (String listed : skip.keySet()) {
      if (!names.contains(listed)) {
        problems.add("skip list names a missing scenario: " + listed);
      }
      if (known.containsKey(listed)) {
        problems.add("listed both as skipped and as known failure: " + listed);
      }
    }
    for (String listed : known.keySet()) {
      if (!names.contains(listed)) {
        problems.add("known-failures list names a missing scenario: " + listed);
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }
}
