package io.dnssecproxy.policy;

import java.util.Locale;

/** What the proxy does with bogus data. */
public enum Mode {
  /** Bogus answers become SERVFAIL with an Extended DNS Error. */
  ENFORCE,
  /** Bogus answers pass through without AD, and the failure is logged. */
  PERMISSIVE;

  /** Parses "enforce" or "permissive", any case. */
  public static Mode parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown mode '" + s + "' (expected enforce or permissive)");
    }
  }

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
