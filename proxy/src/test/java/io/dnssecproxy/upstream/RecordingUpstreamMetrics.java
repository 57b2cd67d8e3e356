package io.dnssecproxy.upstream;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Counts metric calls, keyed by event and port, for assertions. */
final class RecordingUpstreamMetrics implements UpstreamMetrics {

  private final Map<String, Integer> counts = new HashMap<>();

  @Override
  public void query(InetSocketAddress upstream) {
    bump("query", upstream);
  }

  @Override
  public void timeout(InetSocketAddress upstream) {
    bump("timeout", upstream);
  }

  @Override
  public void networkError(InetSocketAddress upstream) {
    bump("networkError", upstream);
  }

  @Override
  public void responseDropped(InetSocketAddress upstream, DropReason reason) {
    bump("dropped." + reason, upstream);
  }

  @Override
  public void tcpFallback(InetSocketAddress upstream) {
    bump("tcpFallback", upstream);
  }

  @Override
  public void failover(InetSocketAddress from, InetSocketAddress to) {
    bump("failover.to", to);
  }

  @Override
  public void latency(InetSocketAddress upstream, Duration latency) {
    bump("latency", upstream);
  }

  @Override
  public void markedDown(InetSocketAddress upstream, Duration backoff) {
    bump("down", upstream);
  }

  @Override
  public void markedUp(InetSocketAddress upstream) {
    bump("up", upstream);
  }

  synchronized int count(String event, InetSocketAddress upstream) {
    return counts.getOrDefault(event + "@" + upstream.getPort(), 0);
  }

  private synchronized void bump(String event, InetSocketAddress upstream) {
    counts.merge(event + "@" + upstream.getPort(), 1, Integer::sum);
  }
}
