package io.dnssecproxy.policy;

/** What the policy did with an answer, for metrics and the event log. */
public enum Action {
  /** Validated (or provably unsigned) data answered as is. */
  ANSWERED,
  /** Bogus data replaced by SERVFAIL (enforce mode). */
  BLOCKED,
  /** Bogus data passed through without AD (permissive mode). */
  PASSED,
  /** Served from an expired cache entry because every upstream failed. */
  STALE,
  /** No answer could be had: SERVFAIL. */
  FAILED;

  public String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
