package io.dnssecproxy.resolve;

import io.dnssecproxy.upstream.Question;
import io.dnssecproxy.upstream.Upstream;
import io.dnssecproxy.validation.KeySource;
import io.vertx.core.Future;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * Lets the validator fetch DNSKEY and DS through the same upstream as client queries, with
 * identical fetches in flight shared (many queries into one cold zone need its keys once).
 * Lives here, in the wiring, so neither the upstream nor the validator knows of the other.
 */
public final class UpstreamKeySource implements KeySource {

  private final Upstream upstream;
  private final InFlightCoalescer<Question, Message> inFlight = new InFlightCoalescer<>();

  public UpstreamKeySource(Upstream upstream) {
    this.upstream = upstream;
  }

  @Override
  public Future<Message> fetch(Name name, int type) {
    Question q = Question.of(name, type);
    return inFlight.run(q, () -> upstream.query(q));
  }
}
