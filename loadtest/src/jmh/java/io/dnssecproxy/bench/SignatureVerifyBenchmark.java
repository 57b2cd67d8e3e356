package io.dnssecproxy.bench;

import io.dnssecproxy.validation.AlgorithmPolicy;
import io.dnssecproxy.validation.SignatureVerifier;
import io.dnssecproxy.validation.WorkBudget;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;

/**
 * One RRSIG verification ({@code DNSSEC.verify}, as the proxy's SignatureVerifier calls it) per
 * algorithm, with BouncyCastle first in JCA (the proxy's set-up), second after the JDK's SUN
 * provider ({@link JcaProvider}), and with the JDK's own providers only.
 * The DNSKEY record is reused, so its decoded public key is too, as it is for a cached zone key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SignatureVerifyBenchmark {

  @Param({"RSASHA256", "ECDSAP256SHA256", "ED25519", "ECDSAP384SHA384", "ED448"})
  public String algorithm;

  @Param({"BC", "BC2", "JDK"})
  public String provider;

  private static final Clock CLOCK = Clock.fixed(SignedData.NOW, ZoneOffset.UTC);

  private SignedData data;
  /** Keeps no proofs, so every call verifies (as for a signature seen for the first time). */
  private final SignatureVerifier verifier = new SignatureVerifier(AlgorithmPolicy.defaults(), Duration.ofMinutes(5), 0);
  /** As the proxy runs it: a signature proven before is not verified again. */
  private final SignatureVerifier remembering = new SignatureVerifier(AlgorithmPolicy.defaults(), Duration.ofMinutes(5));
  private List<DNSKEYRecord> keys;

  @Setup
  public void setUp() throws Exception {
    JcaProvider.use(provider);
    JcaProvider.check(provider, switch (algorithm) {
      case "RSASHA256" -> "SHA256withRSA";
      case "ECDSAP256SHA256" -> "SHA256withECDSA";
      case "ECDSAP384SHA384" -> "SHA384withECDSA";
      case "ED448" -> "Ed448";
      default -> "Ed25519";
    });
    data = SignedData.create(DNSSEC.Algorithm.value(algorithm));
    verify(); // fails the benchmark, not just slows it, if the signature is wrong
    keys = List.of(data.key);
    proxyVerifier();
    proxyVerifier(); // from here on a P-256 key has its table
  }

  @Benchmark
  public void verify() throws DNSSEC.DNSSECException {
    DNSSEC.verify(data.rrset, data.signature, data.key, SignedData.NOW);
  }

  /**
   * The proxy's own path ({@code SignatureVerifier}, with the key reused as a cached zone key is,
   * keeping no proofs so that each call verifies):
   * for ECDSAP256SHA256 that is its precomputed-table verifier from the key's second use on, for
   * RSASHA256 its own modular arithmetic ({@code RsaVerifier}), for ED25519 the same dnsjava call
   * as {@link #verify}; plus the header checks.
   */
  @Benchmark
  public boolean proxyVerifier() {
    return provenBy(verifier);
  }

  /**
   * The same RRset and RRSIG again through a verifier that has proven it before (a refetched
   * answer, or an RRset that comes in several responses): the cost of finding the proof.
   */
  @Benchmark
  public boolean provenBefore() {
    return provenBy(remembering);
  }

  /** Fails the benchmark, not just slows it, if the proxy's verifier rejects the good signature. */
  private boolean provenBy(SignatureVerifier v) {
    SignatureVerifier.Result result = v.verify(data.rrset, SignedData.ZONE, keys, SignedData.NOW, budget());
    if (!result.secure()) {
      throw new IllegalStateException("the proxy's verifier rejected a good signature: " + result.verdict());
    }
    return true;
  }

  private WorkBudget budget() {
    return new WorkBudget(WorkBudget.Limits.defaults(), CLOCK);
  }
}
