package io.dnssecproxy.server;

/**
 * Counters the front-ends report to. Every method has a no-op default so an implementation
 * only overrides what it exports. Called on the event loop: implementations must not block.
 */
public interface FrontendMetrics {

  /** Why a received message got no answer at all. */
  enum DropReason {
    /** Fewer than 12 bytes: there is no ID to answer to. */
    TOO_SHORT,
    /** QR=1: answering a response could start a reflection loop between two servers. */
    RESPONSE_PACKET,
    /** The UDP in-flight cap was reached. */
    OVERLOAD
  }

  /** A no-op implementation. */
  FrontendMetrics NOOP = new FrontendMetrics() {};

  /** One message received (before any check). */
  default void query(Transport transport) {}

  /** A message that could not be parsed or broke the query rules (FORMERR or dropped). */
  default void malformed(Transport transport) {}

  /** A message that was not answered. */
  default void dropped(Transport transport, DropReason reason) {}

  /** A UDP response that did not fit the client's size and was sent with TC=1. */
  default void truncated() {}

  /** The handler threw, failed or returned nothing; the client got SERVFAIL. */
  default void handlerFailed(Transport transport) {}

  /** A TCP connection closed at once because the open-connection cap was reached. */
  default void tcpConnectionRejected() {}
}
