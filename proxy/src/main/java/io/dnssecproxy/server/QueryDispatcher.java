package io.dnssecproxy.server;

import io.dnssecproxy.server.FrontendMetrics.DropReason;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.OptionalInt;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * The transport-independent half of a front-end: raw message in, response to send (or nothing)
 * out. It screens what the handler must never see and turns every handler failure into
 * SERVFAIL, so no client message can break the socket it came on.
 */
final class QueryDispatcher {

  private static final System.Logger LOG = System.getLogger(QueryDispatcher.class.getName());

  /**
   * What to send back. {@code query} is null when the message did not parse (the reply is then
   * a FORMERR built from the raw header).
   */
  record Reply(Message query, Message response) {}

  private final QueryHandler handler;
  private final FrontendMetrics metrics;

  QueryDispatcher(QueryHandler handler, FrontendMetrics metrics) {
    this.handler = handler;
    this.metrics = metrics;
  }

  /**
   * The handler's answer straight from bytes (see {@link QueryHandler#answerDirectly}), counted
   * as a query, or null. Never throws: a failure only means the normal path runs.
   */
  byte[] answerDirectly(byte[] wire, Transport transport, int maxUdpResponse) {
    try {
      byte[] direct = handler.answerDirectly(wire, transport, maxUdpResponse);
      if (direct != null) {
        metrics.query(transport);
      }
      return direct;
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "direct answer failed; taking the normal path", e);
      return null;
    }
  }

  /**
   * Never fails. Completes with null when the message must be dropped without an answer.
   * Completion happens on whatever thread completes the handler's future: the caller runs
   * everything on one event loop, so that is the same thread.
   */
  Future<Reply> dispatch(byte[] wire, Transport transport, InetSocketAddress client) {
    metrics.query(transport);
    if (wire.length < ErrorResponses.HEADER_LENGTH) {
      metrics.malformed(transport);
      metrics.dropped(transport, DropReason.TOO_SHORT);
      return Future.succeededFuture();
    }
    if ((wire[2] & 0x80) != 0) {
      metrics.malformed(transport);
      metrics.dropped(transport, DropReason.RESPONSE_PACKET);
      return Future.succeededFuture();
    }
    Message query;
    try {
      query = new Message(wire);
    } catch (Exception e) {
      metrics.malformed(transport);
      return Future.succeededFuture(new Reply(null, ErrorResponses.formerrFromRaw(wire)));
    }
    try {
      OptionalInt rejection = QueryPolicy.rejection(query);
      if (rejection.isPresent()) {
        if (rejection.getAsInt() == Rcode.FORMERR) {
          metrics.malformed(transport);
        }
        return Future.succeededFuture(new Reply(query, ErrorResponses.forQuery(query, rejection.getAsInt())));
      }
      return callHandler(query, transport, client);
    } catch (RuntimeException e) {
      return Future.succeededFuture(handlerFailed(query, transport, e));
    }
  }

  private Future<Reply> callHandler(Message query, Transport transport, InetSocketAddress client) {
    Future<Message> answer;
    try {
      answer = handler.handle(new ClientQuery(query, transport, client));
    } catch (RuntimeException e) {
      return Future.succeededFuture(handlerFailed(query, transport, e));
    }
    if (answer == null) {
      return Future.succeededFuture(handlerFailed(query, transport, null));
    }
    Promise<Reply> reply = Promise.promise();
    answer.onComplete(ar -> reply.complete(toReply(query, transport, ar)));
    return reply.future();
  }

  private Reply toReply(Message query, Transport transport, AsyncResult<Message> ar) {
    if (ar.failed() || ar.result() == null) {
      return handlerFailed(query, transport, ar.cause());
    }
    try {
      return new Reply(query, ClientResponseGuard.fit(query, ar.result()));
    } catch (RuntimeException e) {
      return handlerFailed(query, transport, e);
    }
  }

  private Reply handlerFailed(Message query, Transport transport, Throwable cause) {
    metrics.handlerFailed(transport);
    LOG.log(Level.DEBUG, () -> "answering SERVFAIL to " + query.getQuestion() + ": " + cause, cause);
    return new Reply(query, ErrorResponses.servfail(query));
  }
}
