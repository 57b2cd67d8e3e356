package io.dnssecproxy.resolve;

import io.dnssecproxy.upstream.Question;
import io.dnssecproxy.upstream.Upstream;
import io.dnssecproxy.validation.KeyCache;
import io.dnssecproxy.validation.NegativeTrustAnchors;
import io.dnssecproxy.validation.Trace;
import io.dnssecproxy.validation.TrustAnchors;
import io.dnssecproxy.validation.Validator;
import io.dnssecproxy.validation.ValidatorSettings;
import io.dnssecproxy.validation.Verdict;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.function.Supplier;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * Resolves one question through the proxy's own upstream and validator, recording every step:
 * the engine of the {@code check} command and of the admin API's trace. Each trace gets an
 * empty key cache, so every link of the chain is fetched and shown, not taken from memory.
 */
public final class ChainTracer {

  /** The upstream's answer, the verdict and the steps that led to it. */
  public record Result(Message response, Verdict verdict, Trace trace) {}

  private final Upstream upstream;
  private final ValidatorSettings settings;
  private final TrustAnchors anchors;
  private final Supplier<NegativeTrustAnchors> insecureDomains;
  private final Clock validationClock;
  private final Clock wallClock;

  public ChainTracer(Upstream upstream, ValidatorSettings settings, TrustAnchors anchors,
      Supplier<NegativeTrustAnchors> insecureDomains, Clock validationClock, Clock wallClock) {
    this.upstream = upstream;
    this.settings = settings;
    this.anchors = anchors;
    this.insecureDomains = insecureDomains;
    this.validationClock = validationClock;
    this.wallClock = wallClock;
  }

  /** Must be called on the event-loop context that owns the upstream. */
  public Future<Result> trace(Name qname, int qtype) {
    Validator validator = new Validator(settings, anchors, insecureDomains, new KeyCache(1000, wallClock),
        new UpstreamKeySource(upstream), validationClock, wallClock);
    Trace trace = new Trace();
    return upstream.query(Question.of(qname, qtype))
        .compose(resp -> validator.validate(qname, qtype, resp, trace).map(v -> new Result(resp, v.verdict(), trace)));
  }
}
