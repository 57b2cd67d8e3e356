package io.dnssecproxy.policy;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The mode in force for this sidecar's namespace. Read on every answer, switched live by the
 * control API or the watched config file; cached answers follow a switch at once because the
 * client response is built from the verdict on every hit.
 */
public final class ModeSwitch {

  private final AtomicReference<Mode> mode;

  public ModeSwitch(Mode initial) {
    this.mode = new AtomicReference<>(initial);
  }

  public Mode get() {
    return mode.get();
  }

  /** Sets the mode; returns the previous one. */
  public Mode set(Mode next) {
    return mode.getAndSet(next);
  }
}
