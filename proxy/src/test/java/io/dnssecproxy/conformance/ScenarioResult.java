package io.dnssecproxy.conformance;

import java.util.List;

/**
 * The outcome of replaying one scenario against one forwarder.
 *
 * @param detail for FAIL the differences (expected vs got) and the upstream trace; for
 *     SKIPPED the reason; empty for PASS
 * @param notes things the harness could not apply (e.g. TIME_PASSES), worth knowing even
 *     when the scenario passes
 */
public record ScenarioResult(String fileName, Status status, String detail, List<String> notes) {

  public ScenarioResult {
    notes = List.copyOf(notes);
  }

  public enum Status { PASS, FAIL, SKIPPED }

  static ScenarioResult failed(String fileName, String detail) {
    return new ScenarioResult(fileName, Status.FAIL, detail, List.of());
  }
}
