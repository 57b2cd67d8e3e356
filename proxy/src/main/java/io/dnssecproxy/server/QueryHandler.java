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
}
