package io.dnssecproxy.bench;

import io.dnssecproxy.cache.CacheKey;
import io.dnssecproxy.cache.CachedAnswer;
import io.dnssecproxy.cache.ResponseCache;
import io.dnssecproxy.policy.AnswerBuilder;
import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.validation.CryptoProviders;
import io.dnssecproxy.validation.Verdict;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The proxy's cache-hit path, stage by stage, for a typical secure answer (www.example. A with its
 * ECDSAP256 RRSIG, asked with DO=1): parse the client's query, look the answer up in
 * {@link ResponseCache}, build the client's response with {@link AnswerBuilder} (TTLs counted down,
 * AD set, our OPT), serialize it. {@code hitPath} is the whole chain as QueryPipeline runs it on a
 * hit, minus sockets and metrics; the other methods show where its time goes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CacheHitBenchmark {

  private final Clock clock = Clock.systemUTC();
  private final AnswerBuilder answers = new AnswerBuilder();
  private ResponseCache cache;
  private byte[] queryWire;
  private Message query;
  private CachedAnswer cached;
  private Message built;

  @Setup
  public void setUp() throws Exception {
    CryptoProviders.installBouncyCastle();
    SignedData data = SignedData.create(DNSSEC.Algorithm.ECDSAP256SHA256);
    Message q = Message.newQuery(Record.newRecord(SignedData.OWNER, Type.A, DClass.IN));
    q.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    q.getHeader().setID(4242);
    queryWire = q.toWire();
    query = new Message(queryWire);

    // what the upstream answered (DO+CD): the data, its signature and the upstream's OPT
    Message upstream = new Message(7);
    upstream.getHeader().setFlag(Flags.QR);
    upstream.getHeader().setFlag(Flags.RD);
    upstream.getHeader().setFlag(Flags.RA);
    upstream.addRecord(query.getQuestion(), Section.QUESTION);
    data.rrset.rrs(false).forEach(r -> upstream.addRecord(r, Section.ANSWER));
    data.rrset.sigs().forEach(r -> upstream.addRecord(r, Section.ANSWER));
    upstream.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);

    cache = new ResponseCache(50_000, true, Duration.ofDays(1), clock);
    // 10,000 other entries, so the lookup is not into a one-entry map
    for (int i = 0; i < 10_000; i++) {
      cache.put(new CacheKey(Name.fromString("h" + i, SignedData.ZONE), Type.A, DClass.IN),
          new CachedAnswer(upstream, Verdict.secure(), clock.instant(), 3600));
    }
    cache.put(key(query), new CachedAnswer(upstream, Verdict.secure(), clock.instant().minusSeconds(10), 3600));
    cached = cacheGet();
    built = build();
    if (cached == null || !built.getHeader().getFlag(Flags.AD) || built.getSection(Section.ANSWER).size() != 2) {
      throw new IllegalStateException("the benchmark answer is not a secure cache hit with its RRSIG");
    }
  }

  private static CacheKey key(Message q) {
    Record question = q.getQuestion();
    return new CacheKey(question.getName(), question.getType(), question.getDClass());
  }

  @Benchmark
  public Message parseQuery() throws IOException {
    return new Message(queryWire);
  }

  @Benchmark
  public CachedAnswer cacheGet() {
    return cache.get(key(query));
  }

  @Benchmark
  public Message build() {
    return respond(query, cached);
  }

  @Benchmark
  public byte[] toWire() {
    return built.toWire();
  }

  @Benchmark
  public byte[] hitPath() throws IOException {
    Message q = new Message(queryWire);
    CachedAnswer a = cache.get(key(q));
    return respond(q, a).toWire();
  }

  /** As QueryPipeline.respond does for a fresh hit: age and remaining lifetime, then the builder. */
  private Message respond(Message q, CachedAnswer a) {
    Instant now = clock.instant();
    long age = Math.max(0, Duration.between(a.storedAt(), now).getSeconds());
    long ttlCap = Math.max(0, a.remaining(now));
    return answers.build(q, a.response(), a.verdict(), Mode.ENFORCE, age, ttlCap, false).message();
  }
}
