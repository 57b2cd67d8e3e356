package io.dnssecproxy.observe;

import static io.dnssecproxy.observe.ScrapeAssertions.assertScrapeHas;

import io.dnssecproxy.cache.CacheKey;
import io.dnssecproxy.cache.CachedAnswer;
import io.dnssecproxy.cache.ResponseCache;
import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.policy.ModeSwitch;
import io.dnssecproxy.testing.MutableClock;
import io.dnssecproxy.validation.AlgorithmPolicy;
import io.dnssecproxy.validation.KeyCache;
import io.dnssecproxy.validation.NegativeTrustAnchors;
import io.dnssecproxy.validation.SignatureVerifier;
import io.dnssecproxy.validation.Verdict;
import io.dnssecproxy.validation.WorkBudget;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class StateMetersTest {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));

  private static CachedAnswer answer(Instant at) {
    Message m = Message.newQuery(Record.newRecord(Name.root, Type.A, DClass.IN));
    return new CachedAnswer(m, Verdict.indeterminate("test"), at, 300);
  }

  @Test
  void cacheEntriesAndEvictionsAreReadFromTheCacheAtScrapeTime() throws Exception {
    ResponseCache cache = new ResponseCache(2, false, Duration.ZERO, clock);
    StateMeters.bindCache(registry, cache);
    assertScrapeHas(registry, "dnssec_proxy_cache_entries 0.0", "dnssec_proxy_cache_evictions_total 0.0");
    for (String n : List.of("a.", "b.", "c.", "d.")) {
      cache.put(new CacheKey(Name.fromString(n), Type.A, DClass.IN), answer(clock.instant()));
    }
    long size = cache.size();
    long evicted = cache.evictions();
    assertScrapeHas(registry, "dnssec_proxy_cache_entries " + (double) size, "dnssec_proxy_cache_evictions_total " + (double) evicted,
        "# TYPE dnssec_proxy_cache_evictions_total counter", "# TYPE dnssec_proxy_cache_entries gauge");
    org.junit.jupiter.api.Assertions.assertTrue(evicted >= 2, "capacity 2, four entries: " + evicted);
  }

  @Test
  void signatureChecksAreCountedByOutcome() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    Name zone = Name.fromString("example.");
    DNSKEYRecord key = new DNSKEYRecord(zone, DClass.IN, 3600,
        DNSKEYRecord.Flags.ZONE_KEY, DNSKEYRecord.Protocol.DNSSEC,
        DNSSEC.Algorithm.ECDSAP256SHA256, pair.getPublic());
    Instant now = clock.instant();
    RRset rrset = new RRset(new ARecord(Name.fromString("www.example."),
        DClass.IN, 300, InetAddress.getByName("192.0.2.1")));
    RRSIGRecord sig = DNSSEC.sign(rrset, key, pair.getPrivate(), now.minusSeconds(3600),
        now.plusSeconds(3600));
    rrset.addRR(sig);
    RRset tampered = new RRset(new ARecord(Name.fromString("www.example."),
        DClass.IN, 300, InetAddress.getByName("192.0.2.2")));
    tampered.addRR(sig);
    SignatureVerifier verifier = new SignatureVerifier(
        AlgorithmPolicy.defaults(), Duration.ofMinutes(5));
    StateMeters.bindSignatures(registry, verifier);
    for (RRset r : List.of(rrset, rrset, rrset, tampered)) {
      verifier.verify(r, zone, List.of(key), now,
          new WorkBudget(WorkBudget.Limits.defaults(), clock));
    }
    assertScrapeHas(registry, "# TYPE dnssec_proxy_signatures_total counter",
        "dnssec_proxy_signatures_total{outcome=\"verified\"} 1.0",
        "dnssec_proxy_signatures_total{outcome=\"proven_before\"} 2.0",
        "dnssec_proxy_signatures_total{outcome=\"failed\"} 1.0");
  }

  @Test
  void keyCacheEntriesFollowTheKeyCache() {
    KeyCache keys = new KeyCache(100, clock);
    StateMeters.bindKeyCache(registry, keys);
    assertScrapeHas(registry, "# TYPE dnssec_proxy_key_cache_entries gauge", "dnssec_proxy_key_cache_entries 0.0");
  }

  @Test
  void theModeInForceReadsOneAndTheOtherZero() {
    ModeSwitch mode = new ModeSwitch(Mode.ENFORCE);
    StateMeters.bindMode(registry, mode);
    assertScrapeHas(registry, "dnssec_proxy_mode{mode=\"enforce\"} 1.0", "dnssec_proxy_mode{mode=\"permissive\"} 0.0");
    mode.set(Mode.PERMISSIVE);
    assertScrapeHas(registry, "dnssec_proxy_mode{mode=\"enforce\"} 0.0", "dnssec_proxy_mode{mode=\"permissive\"} 1.0");
  }

  @Test
  void insecureDomainsCountTheSetInForce() throws Exception {
    AtomicReference<NegativeTrustAnchors> domains = new AtomicReference<>(NegativeTrustAnchors.of(List.of(Name.fromString("a."))));
    StateMeters.bindInsecureDomains(registry, domains::get);
    assertScrapeHas(registry, "dnssec_proxy_insecure_domains 1.0");
    domains.set(NegativeTrustAnchors.of(List.of(Name.fromString("a."), Name.fromString("b."))));
    assertScrapeHas(registry, "dnssec_proxy_insecure_domains 2.0");
  }

  @Test
  void suppressedEventLinesAreACounter() {
    EventLog log = new EventLog(line -> { }, clock, Duration.ofSeconds(10));
    StateMeters.bindEventLog(registry, log);
    ValidationEvent e = new ValidationEvent(clock.instant(), null, "x.", "A", "bogus", 6, List.of("r"), "enforce", null, "blocked");
    log.record(e);
    log.record(e);
    log.record(e);
    assertScrapeHas(registry, "dnssec_proxy_events_suppressed_total 2.0");
  }

  @Test
  void rejectedPolicyFilesAreAGauge() {
    AtomicInteger rejected = new AtomicInteger();
    StateMeters.bindPolicyDir(registry, rejected::get);
    assertScrapeHas(registry, "dnssec_proxy_policy_files_rejected 0.0");
    rejected.set(1);
    assertScrapeHas(registry, "dnssec_proxy_policy_files_rejected 1.0");
  }
}
