package io.dnssecproxy.validation;

import java.time.Duration;

/**
 * Tunables of the validator.
 *
 * @param clockSkew how far outside an RRSIG's validity window the clock may be and still pass
 * @param nsec3IterationLimit NSEC3 iteration counts above this make a denial insecure (RFC 9276, EDE 27)
 * @param maxKeyTtl upper bound on how long a validated DNSKEY set is trusted without re-fetching
 * @param bogusKeyTtl how long a zone whose keys failed stays failed before it is tried again
 * @param budget the work allowed per validation (KeyTrap defence)
 * @param aggressiveNsec answer denials from validated NSEC records already held (RFC 8198)
 * @param hardenAlgoDowngrade require every algorithm in a DS set to validate and use only the
 *     strongest DS digest type (off by default, as in Unbound: one good algorithm is enough)
 */
public record ValidatorSettings(
    AlgorithmPolicy algorithms,
    Duration clockSkew,
    int nsec3IterationLimit,
    Duration maxKeyTtl,
    Duration bogusKeyTtl,
    WorkBudget.Limits budget,
    boolean hardenAlgoDowngrade,
    boolean aggressiveNsec) {

  public static ValidatorSettings defaults() {
    return new ValidatorSettings(
        AlgorithmPolicy.defaults(),
        Duration.ofMinutes(5),
        150,
        Duration.ofHours(24),
        Duration.ofSeconds(60),
        WorkBudget.Limits.defaults(),
        false,
        true);
  }

  public ValidatorSettings withAlgorithms(AlgorithmPolicy a) {
    return new ValidatorSettings(a, clockSkew, nsec3IterationLimit, maxKeyTtl, bogusKeyTtl, budget, hardenAlgoDowngrade, aggressiveNsec);
  }

  public ValidatorSettings withClockSkew(Duration d) {
    return new ValidatorSettings(algorithms, d, nsec3IterationLimit, maxKeyTtl, bogusKeyTtl, budget, hardenAlgoDowngrade, aggressiveNsec);
  }

  public ValidatorSettings withNsec3IterationLimit(int n) {
    return new ValidatorSettings(algorithms, clockSkew, n, maxKeyTtl, bogusKeyTtl, budget, hardenAlgoDowngrade, aggressiveNsec);
  }

  public ValidatorSettings withBogusKeyTtl(Duration d) {
    return new ValidatorSettings(algorithms, clockSkew, nsec3IterationLimit, maxKeyTtl, d, budget, hardenAlgoDowngrade, aggressiveNsec);
  }

  public ValidatorSettings withHardenAlgoDowngrade(boolean on) {
    return new ValidatorSettings(algorithms, clockSkew, nsec3IterationLimit, maxKeyTtl, bogusKeyTtl, budget, on, aggressiveNsec);
  }

  public ValidatorSettings withAggressiveNsec(boolean on) {
    return new ValidatorSettings(algorithms, clockSkew, nsec3IterationLimit, maxKeyTtl, bogusKeyTtl, budget, hardenAlgoDowngrade, on);
  }

  public ValidatorSettings withBudget(WorkBudget.Limits limits) {
    return new ValidatorSettings(algorithms, clockSkew, nsec3IterationLimit, maxKeyTtl, bogusKeyTtl, limits, hardenAlgoDowngrade, aggressiveNsec);
  }
}
