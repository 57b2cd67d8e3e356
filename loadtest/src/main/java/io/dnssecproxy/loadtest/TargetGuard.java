package io.dnssecproxy.loadtest;

import java.net.InetAddress;

/**
 * Load goes to loopback unless the operator says otherwise: a mistyped address must not turn a
 * benchmark into a flood of someone else's server. In a pod the target is the pod's own address
 * or 127.0.0.1, and the Kubernetes Job passes {@code --allow-non-loopback} explicitly.
 */
public final class TargetGuard {

  private TargetGuard() {}

  public static void check(InetAddress target, boolean allowNonLoopback) {
    if (!target.isLoopbackAddress() && !allowNonLoopback) {
      throw new IllegalArgumentException("target " + target.getHostAddress()
          + " is not a loopback address; pass --allow-non-loopback if you mean it");
    }
  }
}
