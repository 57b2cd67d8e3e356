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

  private final String tag = name().toLowerCase(java.util.Locale.ROOT);

  /** Lower-case form for metric tags and logs; computed once, as it is asked for on every answer. */
  public String tag() {
    return tag;
  }
}
