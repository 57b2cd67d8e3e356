package io.dnssecproxy.upstream;

/** No upstream produced a usable answer. {@link #kind()} says why, to pick the EDE code. */
public final class UpstreamException extends RuntimeException {

  /** Why resolution failed; maps to RFC 8914 codes 22 (no reachable authority) and 23 (network error). */
  public enum Kind {
    TIMEOUT,
    NETWORK_ERROR,
    ALL_UPSTREAMS_DOWN
  }

  private final Kind kind;

  public UpstreamException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
