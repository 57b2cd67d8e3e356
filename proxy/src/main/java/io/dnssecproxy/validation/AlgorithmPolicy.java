package io.dnssecproxy.validation;

import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;

/**
 * Which DNSKEY algorithms and DS digest types this validator will use (RFC 8624). A zone whose
 * DS records name only algorithms or digests outside these sets is treated as insecure, as
 * RFC 4035 section 5.2 requires, not as bogus.
 */
public final class AlgorithmPolicy {

  /** RFC 8624 "MUST/RECOMMENDED validate" algorithms, plus the still-common RSASHA1 variants. */
  public static final Set<Integer> DEFAULT_ALGORITHMS =
      Set.of(
          DNSSEC.Algorithm.RSASHA1,
          DNSSEC.Algorithm.RSA_NSEC3_SHA1,
          DNSSEC.Algorithm.RSASHA256,
          DNSSEC.Algorithm.RSASHA512,
          DNSSEC.Algorithm.ECDSAP256SHA256,
          DNSSEC.Algorithm.ECDSAP384SHA384,
          DNSSEC.Algorithm.ED25519,
          DNSSEC.Algorithm.ED448);

  /** Algorithms that may be switched on for legacy zones (DSA, DSA-NSEC3-SHA1, ECC-GOST). */
  public static final Set<Integer> OPTIONAL_ALGORITHMS =
      Set.of(DNSSEC.Algorithm.DSA, DNSSEC.Algorithm.DSA_NSEC3_SHA1, DNSSEC.Algorithm.ECC_GOST);

  private static final Set<Integer> DIGESTS =
      Set.of(DSRecord.Digest.SHA1, DSRecord.Digest.SHA256, DSRecord.Digest.SHA384);

  private final Set<Integer> algorithms;
  private final Set<Integer> digests;

  private AlgorithmPolicy(Set<Integer> algorithms, Set<Integer> digests) {
    this.algorithms = Set.copyOf(algorithms);
    this.digests = Set.copyOf(digests);
  }

  public static AlgorithmPolicy defaults() {
    return new AlgorithmPolicy(DEFAULT_ALGORITHMS, DIGESTS);
  }

  /**
   * The defaults plus the given algorithms.
   *
   * @throws IllegalArgumentException for an algorithm this build cannot verify
   */
  public static AlgorithmPolicy withEnabled(Set<Integer> extra) {
    Set<Integer> all = new TreeSet<>(DEFAULT_ALGORITHMS);
    for (int alg : extra) {
      if (!DEFAULT_ALGORITHMS.contains(alg) && !OPTIONAL_ALGORITHMS.contains(alg)) {
        throw new IllegalArgumentException(
            "DNSSEC algorithm " + alg + " cannot be enabled; choose from " + new TreeSet<>(OPTIONAL_ALGORITHMS));
      }
      all.add(alg);
    }
    Set<Integer> digestSet = new TreeSet<>(DIGESTS);
    if (all.contains(DNSSEC.Algorithm.ECC_GOST)) {
      digestSet.add(DSRecord.Digest.GOST3411);
    }
    return new AlgorithmPolicy(all, digestSet);
  }

  public boolean supportsAlgorithm(int algorithm) {
    return algorithms.contains(algorithm);
  }

  public boolean supportsDigest(int digestType) {
    return digests.contains(digestType);
  }

  public Set<Integer> algorithms() {
    return algorithms;
  }
}
