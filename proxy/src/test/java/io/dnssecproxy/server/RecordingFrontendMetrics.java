package io.dnssecproxy.server;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Counts metric calls and lets a test wait, with a deadline, until a count is reached. */
final class RecordingFrontendMetrics implements FrontendMetrics {

  private final Map<String, Integer> counts = new HashMap<>();

  @Override
  public void query(Transport transport) {
    bump("query." + transport.tag());
  }

  @Override
  public void malformed(Transport transport) {
    bump("malformed." + transport.tag());
  }

  @Override
  public void dropped(Transport transport, DropReason reason) {
    bump("dropped." + transport.tag() + "." + reason);
  }

  @Override
  public void truncated() {
    bump("truncated");
  }

  @Override
  public void handlerFailed(Transport transport) {
    bump("handlerFailed." + transport.tag());
  }

  @Override
  public void tcpConnectionRejected() {
    bump("tcpRejected");
  }

  synchronized int count(String key) {
    return counts.getOrDefault(key, 0);
  }

  /** Waits until the counter reaches {@code atLeast}; fails the test at the deadline. */
  synchronized void awaitCount(String key, int atLeast, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count(key) < atLeast) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(key + " stayed at " + count(key) + ", expected at least " + atLeast);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  private synchronized void bump(String key) {
    counts.merge(key, 1, Integer::sum);
    notifyAll();
  }
}
