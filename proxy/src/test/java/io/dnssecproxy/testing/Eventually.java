package io.dnssecproxy.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition that something asynchronous will make true, failing the test at a deadline. */
public final class Eventually {

  private Eventually() {}

  /** Returns once {@code condition} holds; an AssertionError naming {@code what} after {@code deadline}. */
  public static void eventually(BooleanSupplier condition, Duration deadline, String what) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + deadline + ": " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }
}
