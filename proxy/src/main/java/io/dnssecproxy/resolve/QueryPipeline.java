package io.dnssecproxy.resolve;

import io.dnssecproxy.cache.CacheKey;
import io.dnssecproxy.cache.CachedAnswer;
import io.dnssecproxy.cache.ResponseCache;
import io.dnssecproxy.cache.TtlPolicy;
import io.dnssecproxy.observe.EventLog;
import io.dnssecproxy.observe.ProxyMetrics;
import io.dnssecproxy.observe.ValidationEvent;
import io.dnssecproxy.policy.Action;
import io.dnssecproxy.policy.AnswerBuilder;
import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.policy.ModeSwitch;
import io.dnssecproxy.server.ClientQuery;
import io.dnssecproxy.server.QueryHandler;
import io.dnssecproxy.upstream.Question;
import io.dnssecproxy.upstream.Upstream;
import io.dnssecproxy.upstream.UpstreamException;
import io.dnssecproxy.validation.AggressiveNsec;
import io.dnssecproxy.validation.Ede;
import io.dnssecproxy.validation.Validation;
import io.dnssecproxy.validation.Validator;
import io.dnssecproxy.validation.Verdict;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The path of one query, socket to socket: cache, then upstream (DO+CD, coalesced), then the
 * validator, then the cache store, then the policy that turns the verdict into the response
 * (with metrics and the event log on the way out). Each stage is one call to a component with
 * one job; nothing here does crypto or socket work.
 */
public final class QueryPipeline implements QueryHandler {

  /** One upstream question in flight; CD queries are not validated, so they do not share with others. */
  private record Flight(CacheKey key, boolean checkingDisabled) {}

  private final ResponseCache cache;
  private final TtlPolicy ttls;
  private final Upstream upstream;
  private final Validator validator;
  private final ModeSwitch mode;
  private final AnswerBuilder answers = new AnswerBuilder();
  private final ProxyMetrics metrics;
  private final EventLog events;
  private final Clock wallClock;
  private final Clock validationClock;
  private final Duration staleAnswerTtl;
  private final boolean prefetch;
  private final String namespace;
  private final InFlightCoalescer<Flight, CachedAnswer> inFlight = new InFlightCoalescer<>();
  private final CacheHitFastPath fastPath;
  private final ProvenDenialFastPath provenDenials;
  private final RecentlySeen synthesizedBefore = new RecentlySeen(16);

  public QueryPipeline(ResponseCache cache, TtlPolicy ttls, Upstream upstream, Validator validator, ModeSwitch mode,
      ProxyMetrics metrics, EventLog events, Clock wallClock, Clock validationClock, Duration staleAnswerTtl, boolean prefetch,
      String namespace) {
    this.cache = cache;
    this.ttls = ttls;
    this.upstream = upstream;
    this.validator = validator;
    this.mode = mode;
    this.metrics = metrics;
    this.events = events;
    this.wallClock = wallClock;
    this.validationClock = validationClock;
    this.staleAnswerTtl = staleAnswerTtl;
    this.prefetch = prefetch;
    this.namespace = namespace;
    this.fastPath = new CacheHitFastPath(cache, metrics, wallClock, prefetch ? this::refresh : null);
    this.provenDenials = new ProvenDenialFastPath(validator, mode, ttls, metrics, validationClock);
  }

  @Override
  public byte[] answerDirectly(byte[] query, io.dnssecproxy.server.Transport transport, int maxUdpResponse) {
    // A plain query is answered from bytes when it can be: from the cache, else from held
    // NSEC/NSEC3 proofs (the same answers handle() gives, without parsing and re-encoding).
    PlainQuery q = PlainQuery.parse(query);
    if (q == null) {
      return null;
    }
    byte[] hit = fastPath.answer(q, transport, maxUdpResponse);
    if (hit != null) {
      return hit;
    }
    byte[] proven = provenDenials.answer(q, transport, maxUdpResponse);
    if (proven != null) {
      synthesizedBefore.seenBefore(q.key()); // for a stale answer later (staleSynthesis)
    }
    return proven;
  }

  @Override
  public Future<Message> handle(ClientQuery query) {
    Record q = query.message().getQuestion();
    CacheKey key = new CacheKey(q.getName(), q.getType(), q.getDClass());
    boolean checkingDisabled = query.message().getHeader().getFlag(Flags.CD);
    if (!checkingDisabled) {
      CachedAnswer hit = cache.get(key);
      if (hit != null) {
        metrics.cacheHit();
        if (prefetch && Prefetch.due(hit.ttlSeconds(), Math.max(0, hit.ageSeconds(wallClock.instant())))) {
          refresh(key);
        }
        return Future.succeededFuture(respond(query, hit, false));
      }
      metrics.cacheMiss();
    }
    Flight flight = new Flight(key, checkingDisabled);
    return inFlight.run(flight, () -> resolve(flight))
        .map(answer -> respond(query, answer, false))
        .recover(err -> Future.succeededFuture(upstreamFailed(query, key, err)));
  }

  /**
   * Resolves {@code key} again in the background for a cached answer near expiry ({@link Prefetch}),
   * unless a resolution of it is under way already. The new answer replaces the cached one as a
   * miss's would; if the upstream fails, the cached answer simply runs out (and may be served stale).
   */
  private void refresh(CacheKey key) {
    Flight flight = new Flight(key, false);
    if (!inFlight.inFlight(flight)) {
      metrics.prefetch();
      inFlight.run(flight, () -> resolve(flight));
    }
  }

  /**
   * Asks the upstream, validates unless the client disabled checking, stores the result. A bogus
   * answer is asked for once more (new ID, new port) before it is believed: a spoofer then has to
   * win two races in a row to make a name fail.
   */
  private Future<CachedAnswer> resolve(Flight flight) {
    CacheKey key = flight.key();
    Question question = new Question(key.name(), key.type(), key.dclass());
    if (flight.checkingDisabled()) {
      return upstream.query(question).map(response -> unvalidated(response, "checking disabled by the client (CD=1)"));
    }
    if (mode.get() == Mode.ENFORCE) {
      // A zone that served KeyTrap-style data is refused without a round trip for a while, so a
      // flood of fresh names under it costs no more than a cache hit. Not cached: a switch to
      // permissive mode must find the data again. Permissive mode always fetches it.
      Verdict hostile = validator.knownHostile(key.name(), key.type());
      if (hostile != null) {
        metrics.verdict(hostile.status().tag());
        Message none = new Message();
        none.getHeader().setRcode(Rcode.SERVFAIL);
        return Future.succeededFuture(new CachedAnswer(none, hostile, wallClock.instant(), 0));
      }
    }
    AggressiveNsec.Proof proof = validator.provenDenial(key.name(), key.type(), key.dclass(), Duration.ZERO);
    if (proof != null) {
      // An answer the validator can already prove from NSEC/NSEC3 records it holds (RFC 8198).
      Validation proven = Validator.synthesized(proof.toMessage(key.name(), key.type(), key.dclass()));
      metrics.synthesized(proof.kind());
      metrics.verdict(proven.verdict().status().tag());
      // Cached only when the same question is synthesized a second time: most such names (random
      // subdomains, search-list misses) are asked once, and a cache entry with its two wire
      // templates costs more than synthesizing the answer again. The held records themselves
      // can still make a stale answer for it (upstreamFailed).
      CachedAnswer answer = new CachedAnswer(proven.response(), proven.verdict(), wallClock.instant(), ttls.ttlFor(proven, validationClock.instant()));
      if (synthesizedBefore.seenBefore(key)) {
        answer = fastPath.withTemplates(key, answer);
        cache.put(key, answer.compact());
      }
      return Future.succeededFuture(answer);
    }
    return upstream.query(question)
        .compose(response -> validate(key, response))
        .compose(first -> first.verdict().isBogus()
            ? upstream.query(question).compose(response -> validate(key, response)).otherwise(err -> first)
            : Future.succeededFuture(first))
        .map(answer -> fastPath.withTemplates(key, answer))
        .onSuccess(answer -> cache.put(key, answer.compact()));
  }

  private Future<CachedAnswer> validate(CacheKey key, Message response) {
    if (key.dclass() != DClass.IN) {
      return Future.succeededFuture(unvalidated(response, "class " + DClass.string(key.dclass()) + " is not validated"));
    }
    long started = System.nanoTime();
    return validator.validate(key.name(), key.type(), response).map(v -> {
      metrics.validationTime(Duration.ofNanos(System.nanoTime() - started));
      metrics.verdict(v.verdict().status().tag());
      return new CachedAnswer(v.response(), v.verdict(), wallClock.instant(), ttls.ttlFor(v, validationClock.instant()));
    });
  }

  /**
   * An answer passed on without validation. It is not cached (the put happens only after
   * validation), but its records keep their TTLs, capped as a cached answer's would be.
   */
  private CachedAnswer unvalidated(Message response, String why) {
    Verdict verdict = Verdict.indeterminate(why);
    long ttl = ttls.ttlFor(new Validation(verdict, response, null), validationClock.instant());
    return new CachedAnswer(response, verdict, wallClock.instant(), ttl);
  }

  /** Every upstream failed: a stale answer if the cache has one (RFC 8767), else SERVFAIL + EDE 22/23. */
  private Message upstreamFailed(ClientQuery query, CacheKey key, Throwable err) {
    String kind = err instanceof UpstreamException u ? u.kind().name().toLowerCase(java.util.Locale.ROOT) : "internal";
    metrics.upstreamFailure(kind);
    boolean checkingDisabled = query.message().getHeader().getFlag(Flags.CD);
    CachedAnswer stale = checkingDisabled ? null : cache.getStale(key);
    if (stale == null && !checkingDisabled) {
      stale = staleSynthesis(key);
    }
    if (stale != null) {
      return respond(query, stale, true);
    }
    int ede = err instanceof UpstreamException u && u.kind() == UpstreamException.Kind.NETWORK_ERROR
        ? Ede.NETWORK_ERROR
        : Ede.NO_REACHABLE_AUTHORITY;
    Message servfail = answers.servfail(query.message(), ede, "no upstream answered: " + err.getMessage());
    finish(query, servfail, Action.FAILED);
    return servfail;
  }

  /**
   * A stale answer (RFC 8767) for a question answered before by synthesis but not cached (asked
   * once), built again from the held NSEC/NSEC3 records, which may have expired within the
   * serve-stale window. Null when serving stale is off, the question was not synthesized lately
   * (a new name gets no stale answer, as with the cache), or the records prove nothing.
   */
  private CachedAnswer staleSynthesis(CacheKey key) {
    if (!cache.serveStale() || !synthesizedBefore.seen(key)) {
      return null;
    }
    Validation v = validator.fromProvenDenials(key.name(), key.type(), key.dclass(), cache.staleMaxAge());
    return v == null ? null : new CachedAnswer(v.response(), v.verdict(), wallClock.instant(), 0);
  }

  private Message respond(ClientQuery query, CachedAnswer answer, boolean stale) {
    Instant now = wallClock.instant();
    // A stale answer gets the stale TTL outright (RFC 8767); a fresh one counts down by its age.
    long age = stale ? 0 : Math.max(0, Duration.between(answer.storedAt(), now).getSeconds());
    long ttlCap = stale ? staleAnswerTtl.getSeconds() : Math.max(0, answer.remaining(now));
    AnswerBuilder.Built built = answers.build(query.message(), answer.response(), answer.verdict(), mode.get(), age, ttlCap, stale);
    if (answer.verdict().isBogus()) {
      metrics.bogus(Ede.name(answer.verdict().ede()));
      logEvent(query, answer.verdict(), built.action());
    }
    finish(query, built.message(), built.action());
    return built.message();
  }

  private void finish(ClientQuery query, Message response, Action action) {
    metrics.action(action.tag());
    metrics.query(query.transport().tag(), query.message().getQuestion().getType(), response.getRcode());
  }

  private void logEvent(ClientQuery query, Verdict verdict, Action action) {
    Record q = query.message().getQuestion();
    String client = query.client() == null ? null : query.client().getAddress().getHostAddress();
    events.record(new ValidationEvent(wallClock.instant(), client, q.getName().toString(), Type.string(q.getType()),
        verdict.status().tag(), verdict.ede(), verdict.reasons(), mode.get().tag(), namespace, action.tag()));
  }
}
