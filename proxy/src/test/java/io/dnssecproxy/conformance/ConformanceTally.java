package io.dnssecproxy.conformance;

import java.util.ArrayList;
import java.util.List;

/** Counts scenario outcomes across the run and renders the summary line. */
final class ConformanceTally {

  private int passed;
  private int failed;
  private int knownFailures;
  private int skipped;
  private final List<String> nowPassing = new ArrayList<>();
  private final List<String> unexpectedFailures = new ArrayList<>();
  private final List<String> timePassesIgnored = new ArrayList<>();

  synchronized void passed(String file, boolean wasKnownFailure) {
    passed++;
    if (wasKnownFailure) {
      nowPassing.add(file);
    }
  }

  synchronized void failed(String file, boolean known) {
    failed++;
    if (known) {
      knownFailures++;
    } else {
      unexpectedFailures.add(file);
    }
  }

  synchronized void skipped() {
    skipped++;
  }

  synchronized void timePassesIgnored(String file) {
    timePassesIgnored.add(file);
  }

  synchronized boolean isEmpty() {
    return passed + failed + skipped == 0;
  }

  synchronized String summary(String forwarder) {
    StringBuilder s = new StringBuilder();
    s.append("unbound-val: ").append(passed).append(" passed, ").append(failed)
        .append(" failed, ").append(skipped).append(" skipped (").append(knownFailures)
        .append(" of the failures are known failures; forwarder '").append(forwarder)
        .append("')");
    if (!unexpectedFailures.isEmpty()) {
      s.append("\n  unexpected failures: ").append(unexpectedFailures);
    }
    if (!nowPassing.isEmpty()) {
      s.append("\n  known failures that now pass (remove them from the list): ")
          .append(nowPassing);
    }
    if (!timePassesIgnored.isEmpty()) {
      s.append("\n  TIME_PASSES not applied in: ").append(timePassesIgnored);
    }
    return s.toString();
  }
}
