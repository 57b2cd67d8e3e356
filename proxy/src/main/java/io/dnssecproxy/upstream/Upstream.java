package io.dnssecproxy.upstream;

import io.vertx.core.Future;
import org.xbill.DNS.Message;

/**
 * Something that answers DNS questions the way a recursive resolver does.
 *
 * <p>Implementations send the question with DO=1 and CD=1 (so the answer carries the raw signed
 * data and the upstream does not filter bogus data), EDNS payload 1232, a random ID and source
 * port, and accept only a response whose source, ID and question match. They never validate
 * and never cache.
 */
public interface Upstream {

  /**
   * Resolves one question. The future fails with {@link UpstreamException} when no upstream
   * produced a usable response in time.
   */
  Future<Message> query(Question question);
}
