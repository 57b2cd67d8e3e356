package io.dnssecproxy.validation;

/**
 * The four outcomes of RFC 4033 section 5, ordered from best to worst so that a chain of
 * records (CNAME links, answer plus denial proof) is as trustworthy as its weakest link.
 */
public enum SecurityStatus {
  /** Proven from a trust anchor: answers get AD=1. */
  SECURE,
  /** Proven to be outside signed space (insecure delegation, negative trust anchor). */
  INSECURE,
  /** No trust anchor covers the name: nothing can be said. Treated like insecure. */
  INDETERMINATE,
  /** Should have validated and did not: SERVFAIL in enforce mode. */
  BOGUS;

  /** The worse of two statuses. */
  public SecurityStatus and(SecurityStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }

  /** Lower-case form for metric tags and logs. */
  public String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
