package io.dnssecproxy.conformance;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Replays one scenario against one forwarder: starts the replay upstream and a fresh forwarder
 * instance, walks the STEPs in order, and collects differences. Blocking; call it from a plain
 * thread, never from an event loop.
 *
 * <p>QUERY steps send the entry's question with its flags (RD, AD, CD; DO means EDNS with the
 * DO bit), over UDP unless the entry says MATCH TCP. CHECK_ANSWER steps are compared with the
 * answer to the pending query with the same question (see {@link AnswerComparison}).
 * TIME_PASSES cannot be applied (the forwarder's validation time is fixed and its caches
 * cannot be aged) and is recorded as a note, like other step kinds a forwarder test cannot
 * act on (TRAFFIC, CHECK_OUT_QUERY).
 */
final class RplScenarioRunner {

  /** DSA and DSA-NSEC3-SHA1: most scenarios are signed with them (see ForwarderOptions). */
  static final Set<Integer> EXTRA_ALGORITHMS = Set.of(3, 6);

  /** Set to true to get every scenario's upstream trace in the notes, not just failures'. */
  static final String TRACE_PROPERTY = "conformance.trace";

  /** The smallest RSA keys in the scenarios; unbound accepts them without configuration. */
  static final int UNBOUND_MIN_RSA_BITS = 512;

  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(8);

  private final Vertx vertx;
  private final ValidatingForwarderUnderTest forwarder;

  RplScenarioRunner(Vertx vertx, ValidatingForwarderUnderTest forwarder) {
    this.vertx = vertx;
    this.forwarder = forwarder;
  }

  ScenarioResult run(RplScenario scenario) {
    String file = scenario.fileName();
    if (scenario.stepsOfKind(RplStep.QUERY).findAny().isEmpty()) {
      return new ScenarioResult(file, ScenarioResult.Status.SKIPPED, "scenario has no QUERY step",
          List.of());
    }
    Path anchors = null;
    ReplayUpstream upstream = null;
    ValidatingForwarderUnderTest.Endpoint endpoint = null;
    try {
      anchors = TrustAnchorFile.write(scenario.config(),
          Files.createTempFile("rpl-anchors-" + file, ".txt"));
      upstream = await(ReplayUpstream.start(vertx, scenario), "replay upstream start");
      endpoint = await(forwarder.start(vertx, options(scenario, upstream, anchors)),
          "forwarder start");
      return replaySteps(scenario, upstream, new StubClient(endpoint.address(), QUERY_TIMEOUT));
    } catch (Exception e) {
      String trace = upstream == null ? "" : traceText(upstream);
      return ScenarioResult.failed(file, "harness error: " + e + trace);
    } finally {
      if (endpoint != null) {
        closeQuietly(endpoint.close());
      }
      if (upstream != null) {
        closeQuietly(upstream.close());
      }
      if (anchors != null) {
        try {
          Files.deleteIfExists(anchors);
        } catch (IOException ignored) {
          // A leftover temp file is harmless.
        }
      }
    }
  }

  private static ForwarderOptions options(RplScenario s, ReplayUpstream upstream, Path anchors) {
    RplConfig config = s.config();
    // Unbound has no RSA key size floor; dnsjava's copies of the files add
    // val-min-rsa-size: 512 where its own default (1024) got in the way, but not everywhere
    // (e.g. val_fwdds, val_dsnsec use 512-bit keys and say nothing). 512 is unbound's reality.
    OptionalInt minRsa = OptionalInt.of(config.serverOption("val-min-rsa-size")
        .map(v -> Integer.parseInt(v.trim())).orElse(UNBOUND_MIN_RSA_BITS));
    return new ForwarderOptions(upstream.address(), anchors, config.validationTime(),
        EXTRA_ALGORITHMS, ForwarderOptions.Mode.ENFORCE, minRsa,
        config.serverFlag("harden-algo-downgrade", false), config.serverOptions());
  }

  private ScenarioResult replaySteps(RplScenario scenario, ReplayUpstream upstream,
      StubClient client) {
    List<String> diffs = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    // Answers not yet checked, oldest first; testbound pairs checks with them by question.
    LinkedList<Outcome> pending = new LinkedList<>();
    for (RplStep step : scenario.steps()) {
      upstream.setCurrentStep(step.number());
      switch (step.kind()) {
        case RplStep.QUERY -> pending.add(send(client, step));
        case RplStep.CHECK_ANSWER -> check(step, pending, diffs);
        case RplStep.REPLY -> {
          // Served by the replay upstream from this step on.
        }
        case RplStep.TIME_PASSES -> notes.add("step " + step.number() + " TIME_PASSES "
            + step.arguments() + " not applied: the forwarder's validation time is fixed and "
            + "its caches cannot be aged");
        default -> notes.add("step " + step.number() + " " + step.kind()
            + " ignored: not observable through a forwarder");
      }
    }
    if (Boolean.getBoolean(TRACE_PROPERTY)) {
      notes.add(traceText(upstream).strip());
    }
    List<String> gaps = upstream.gaps();
    if (!gaps.isEmpty()) {
      notes.add("the scenario had no answer for (upstream said SERVFAIL): "
          + String.join(", ", gaps));
    }
    if (diffs.isEmpty()) {
      return new ScenarioResult(scenario.fileName(), ScenarioResult.Status.PASS, "", notes);
    }
    return new ScenarioResult(scenario.fileName(), ScenarioResult.Status.FAIL,
        String.join("\n", diffs) + traceText(upstream), notes);
  }

  private static Outcome send(StubClient client, RplStep step) {
    RplEntry e = step.entry();
    Message query = Message.newQuery(e.question());
    query.getHeader().setID(ThreadLocalRandom.current().nextInt(0x10000));
    query.getHeader().unsetFlag(Flags.RD);
    for (String flag : List.of("RD", "AD", "CD")) {
      if (e.hasFlag(flag)) {
        query.getHeader().setFlag(Flags.value(flag));
      }
    }
    boolean dnssec = e.hasFlag("DO");
    if (dnssec) {
      query.addRecord(new OPTRecord(DnsWire.HARNESS_EDNS_SIZE, 0, 0, ExtendedFlags.DO),
          Section.ADDITIONAL);
    }
    try {
      Message response = client.query(query, e.match().contains("tcp"));
      return new Outcome(step, e.question(), dnssec, response, null);
    } catch (IOException ex) {
      return new Outcome(step, e.question(), dnssec, null, ex.toString());
    }
  }

  private static void check(RplStep step, LinkedList<Outcome> pending, List<String> diffs) {
    Record question = step.entry().question();
    Outcome outcome = null;
    for (Iterator<Outcome> it = pending.iterator(); it.hasNext(); ) {
      Outcome candidate = it.next();
      if (question == null || sameQuestion(candidate.question, question)) {
        outcome = candidate;
        it.remove();
        break;
      }
    }
    String where = "step " + step.number() + " (" + (question == null ? "?"
        : AnswerComparison.show(question).strip()) + "): ";
    if (outcome == null) {
      diffs.add(where + "no query was sent that this check could apply to");
    } else if (outcome.response == null) {
      diffs.add(where + "no answer: " + outcome.error);
    } else {
      for (String d : AnswerComparison.differences(step.entry(), outcome.response,
          outcome.dnssec)) {
        diffs.add(where + d);
      }
    }
  }

  private static boolean sameQuestion(Record a, Record b) {
    return a.getName().equals(b.getName()) && a.getType() == b.getType()
        && a.getDClass() == b.getDClass();
  }

  private static String traceText(ReplayUpstream upstream) {
    List<String> trace = upstream.trace();
    return trace.isEmpty() ? "\nupstream saw no queries"
        : "\nupstream answers:\n  " + String.join("\n  ", trace);
  }

  private static <T> T await(Future<T> future, String what) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture()
          .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException(what + " did not complete within " + START_TIMEOUT, e);
    }
  }

  private static void closeQuietly(Future<Void> closing) {
    try {
      closing.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // Closing is best effort; the scenario's result is already decided.
    }
  }

  private record Outcome(RplStep step, Record question, boolean dnssec, Message response,
      String error) {}
}
