package io.dnssecproxy.server;

import io.vertx.core.Future;
import org.xbill.DNS.Message;

/**
 * What a front-end hands each well-formed client query to. The front-end owns the bytes
 * (parsing, FORMERR, truncation for UDP, TCP framing); the handler owns the DNS semantics.
 */
public interface QueryHandler {

  /** Answers one query. The returned message already carries the client's ID. */
  Future<Message> handle(ClientQuery query);

  /**
   * Answers straight from bytes when that is possible without any of the front-end's checks
   * (a plain, well-formed question whose answer is at hand), else null. The front-end tries
   * this first; null sends the query down the normal path.
   *
   * @param maxUdpResponse the largest UDP response the front-end may send
   */
  default byte[] answerDirectly(byte[] query, Transport transport, int maxUdpResponse) {
    return null;
  }
}
