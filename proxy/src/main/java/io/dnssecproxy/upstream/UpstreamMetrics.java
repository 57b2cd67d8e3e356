package io.dnssecproxy.upstream;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Counters the upstream side reports to, tagged by upstream server. Every method has a no-op
 * default. Called on the event loop: implementations must not block.
 */
public interface UpstreamMetrics {

  /** Why a received response was ignored. */
  enum DropReason {
    /** Came from another address or port than the upstream: possibly spoofed. */
    WRONG_SOURCE,
    /** Did not parse. */
    MALFORMED,
    /** QR=0 or not opcode QUERY: a reflected or stray query. */
    NOT_A_RESPONSE,
    /** ID differs from the query's: late answer to another query, or spoofing. */
    WRONG_ID,
    /** Question section differs from the query's. */
    WRONG_QUESTION
  }

  /** A no-op implementation. */
  UpstreamMetrics NOOP = new UpstreamMetrics() {};

  /** A query was sent to this upstream (one per try, UDP and TCP together). */
  default void query(InetSocketAddress upstream) {}

  /** A try got no acceptable answer in time. */
  default void timeout(InetSocketAddress upstream) {}

  /** A try failed at the socket level (send failed, connection refused or closed early). */
  default void networkError(InetSocketAddress upstream) {}

  /** A response was received and ignored; the try keeps waiting for the right one. */
  default void responseDropped(InetSocketAddress upstream, DropReason reason) {}

  /** The UDP answer had TC=1 and the question was asked again over TCP. */
  default void tcpFallback(InetSocketAddress upstream) {}

  /** A question moved on from one upstream to the next. */
  default void failover(InetSocketAddress from, InetSocketAddress to) {}

  /** Time from sending to accepting an answer (including any TCP retry). */
  default void latency(InetSocketAddress upstream, Duration latency) {}

  /** The upstream is skipped for {@code backoff} after repeated failures. */
  default void markedDown(InetSocketAddress upstream, Duration backoff) {}

  /** An upstream that had been marked down answered again. */
  default void markedUp(InetSocketAddress upstream) {}
}
