package io.dnssecproxy.upstream;

import io.dnssecproxy.upstream.UpstreamException.Kind;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Several upstream resolvers in order of preference, with failover and simple health tracking.
 *
 * <p>Per question: upstreams that are up come first in configured order, then those marked
 * down, least recently failed first (so when all are down they are still tried and recovery is
 * noticed). A timeout, a network error, or a SERVFAIL/REFUSED answer moves on to the next one,
 * within {@link UpstreamPoolOptions#maxAttempts()} tries and the question budget. A SERVFAIL or
 * REFUSED answer is still an answer: it counts as the upstream being alive, and it is returned
 * if nothing better comes.
 *
 * <p>Not thread-safe: use it from the one event-loop context that owns it.
 */
public final class UpstreamPool implements Upstream {

  /** A try shorter than this cannot get an answer over a real network, so it is not started. */
  static final Duration MIN_TRY = Duration.ofMillis(50);

  private final Map<UpstreamServerClient, UpstreamHealth> health = new LinkedHashMap<>();
  private final UpstreamPoolOptions options;
  private final UpstreamMetrics metrics;
  private final Clock clock;

  /** Upstreams in order of preference; the clock drives the question budget and backoffs. */
  public UpstreamPool(List<UpstreamServerClient> upstreams, UpstreamPoolOptions options, UpstreamMetrics metrics, Clock clock) {
    if (upstreams.isEmpty()) {
      throw new IllegalArgumentException("at least one upstream is needed");
    }
    this.options = Objects.requireNonNull(options, "options");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    for (UpstreamServerClient upstream : upstreams) {
      health.put(upstream, new UpstreamHealth(options.failuresBeforeDown(), options.initialBackoff(), options.maxBackoff()));
    }
  }

  /** A pool of {@link UpstreamServerClient}s for these addresses, on the system clock. */
  public static UpstreamPool create(
      Vertx vertx, List<InetSocketAddress> servers, UpstreamPoolOptions options, UpstreamMetrics metrics) {
    SecureRandom random = new SecureRandom();
    List<UpstreamServerClient> clients = new ArrayList<>();
    for (InetSocketAddress server : servers) {
      clients.add(new UpstreamServerClient(vertx, server, metrics, random));
    }
    return new UpstreamPool(clients, options, metrics, Clock.systemUTC());
  }

  @Override
  public Future<Message> query(Question question) {
    return new Run(question).next();
  }

  /** Whether the upstream at this address is currently marked down. */
  public boolean isDown(InetSocketAddress server) {
    Instant now = clock.instant();
    return health.entrySet().stream()
        .anyMatch(e -> e.getKey().server().equals(server) && e.getValue().isDown(now));
  }

  public Future<Void> close() {
    List<Future<Void>> closing = health.keySet().stream().map(UpstreamServerClient::close).toList();
    return Future.join(closing).mapEmpty();
  }

  /** Up ones in preference order, then down ones by least recent failure. */
  private List<UpstreamServerClient> order(Instant now) {
    List<UpstreamServerClient> up = new ArrayList<>();
    List<UpstreamServerClient> down = new ArrayList<>();
    health.forEach((upstream, h) -> (h.isDown(now) ? down : up).add(upstream));
    down.sort(Comparator.comparing(u -> health.get(u).lastFailure()));
    up.addAll(down);
    return up;
  }

  private boolean anyUp(Instant now) {
    return health.values().stream().anyMatch(h -> !h.isDown(now));
  }

  /** The tries for one question. */
  private final class Run {
    private final Question question;
    private final Instant start = clock.instant();
    private final List<UpstreamServerClient> order = order(start);
    private final boolean allDown = !anyUp(start);
    private final Promise<Message> result = Promise.promise();
    private int attempt;
    private UpstreamServerClient previous;
    private Message failureAnswer;
    private UpstreamException lastError;

    Run(Question question) {
      this.question = question;
    }

    Future<Message> next() {
      Duration left = options.questionBudget().minus(Duration.between(start, clock.instant()));
      if (attempt >= options.maxAttempts() || left.compareTo(MIN_TRY) < 0) {
        giveUp();
        return result.future();
      }
      UpstreamServerClient upstream = order.get(attempt % order.size());
      attempt++;
      if (previous != null && previous != upstream) {
        metrics.failover(previous.server(), upstream.server());
      }
      previous = upstream;
      Duration timeout = left.compareTo(options.tryTimeout()) < 0 ? left : options.tryTimeout();
      upstream.query(question, timeout).onComplete(ar -> onTry(upstream, ar));
      return result.future();
    }

    private void onTry(UpstreamServerClient upstream, AsyncResult<Message> ar) {
      UpstreamHealth h = health.get(upstream);
      if (ar.succeeded()) {
        if (h.recordSuccess()) {
          metrics.markedUp(upstream.server());
        }
        Message answer = ar.result();
        int rcode = answer.getRcode();
        if (rcode == Rcode.SERVFAIL || rcode == Rcode.REFUSED) {
          failureAnswer = answer; // kept in case no other upstream does better
          next();
        } else {
          deliver(answer);
        }
        return;
      }
      Duration backoff = h.recordFailure(clock.instant());
      if (backoff != null) {
        metrics.markedDown(upstream.server(), backoff);
      }
      lastError = ar.cause() instanceof UpstreamException e
          ? e
          : new UpstreamException(Kind.NETWORK_ERROR, String.valueOf(ar.cause()));
      next();
    }

    private void giveUp() {
      if (failureAnswer != null) {
        deliver(failureAnswer);
      } else if (allDown) {
        String last = lastError == null ? "" : "; last error: " + lastError.getMessage();
        result.tryFail(new UpstreamException(
            Kind.ALL_UPSTREAMS_DOWN, "all " + order.size() + " upstreams are marked down" + last));
      } else if (lastError != null) {
        result.tryFail(lastError);
      } else {
        result.tryFail(new UpstreamException(Kind.TIMEOUT, "question budget spent before any answer"));
      }
    }

    private void deliver(Message answer) {
      // The upstream's AD bit means nothing to us (we validate ourselves); clear it so no one
      // downstream trusts it by mistake.
      answer.getHeader().unsetFlag(Flags.AD);
      result.tryComplete(answer);
    }
  }
}
