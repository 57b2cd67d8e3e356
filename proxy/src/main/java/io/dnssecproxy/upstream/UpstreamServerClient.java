package io.dnssecproxy.upstream;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import org.xbill.DNS.Message;

/**
 * Asks one upstream resolver ({@code host:port}, an IP address) questions with DO=1, CD=1 and
 * EDNS 1232, over UDP with TCP retry on truncation. Accepts only answers from that address and
 * port carrying the query's ID and question. Never caches, never validates, never retries on
 * its own: failover is {@link UpstreamPool}'s job.
 *
 * <p>Use it from the event-loop context that owns it; its callbacks run there.
 */
public final class UpstreamServerClient {

  /** Used by {@link #query(Question)}; the pool passes its own per-try timeout instead. */
  public static final Duration DEFAULT_TIMEOUT = UpstreamPoolOptions.DEFAULT_TRY_TIMEOUT;

  private final Vertx vertx;
  private final InetSocketAddress server;
  private final UpstreamMetrics metrics;
  private final UpstreamQueryFactory queries;
  private NetClient tcpClient;

  public UpstreamServerClient(Vertx vertx, InetSocketAddress server, UpstreamMetrics metrics) {
    this(vertx, server, metrics, new SecureRandom());
  }

  public UpstreamServerClient(Vertx vertx, InetSocketAddress server, UpstreamMetrics metrics, SecureRandom random) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.server = Objects.requireNonNull(server, "server");
    if (server.isUnresolved()) {
      throw new IllegalArgumentException("upstream must be an IP address, not a name: " + server);
    }
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.queries = new UpstreamQueryFactory(Objects.requireNonNull(random, "random"));
  }

  public InetSocketAddress server() {
    return server;
  }

  /** {@link #query(Question, Duration)} with {@link #DEFAULT_TIMEOUT}. */
  public Future<Message> query(Question question) {
    return query(question, DEFAULT_TIMEOUT);
  }

  /**
   * One try: the whole exchange, including a TCP retry after TC=1, must finish within
   * {@code timeout}. Fails with {@link UpstreamException} of kind TIMEOUT or NETWORK_ERROR.
   * The returned message is freshly parsed and belongs to the caller.
   */
  public Future<Message> query(Question question, Duration timeout) {
    Message query = queries.build(question);
    return new UpstreamExchange(vertx, server, this::tcpClient, query, metrics).run(timeout);
  }

  /** Releases the TCP client, if one was ever needed. */
  public Future<Void> close() {
    return tcpClient == null ? Future.succeededFuture() : tcpClient.close();
  }

  /** Created on first truncated answer: most deployments never need it. */
  private NetClient tcpClient() {
    if (tcpClient == null) {
      tcpClient = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    }
    return tcpClient;
  }

  @Override
  public String toString() {
    return "upstream " + server;
  }
}
