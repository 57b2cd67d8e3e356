package io.dnssecproxy.lab;

import java.time.Instant;
import java.util.Objects;

/**
 * How (and whether) a {@link LabZone} is signed.
 *
 * @param algorithm DNSSEC algorithm number (5, 8, 13, 15, ...); 0 for an unsigned zone
 * @param denial NSEC or NSEC3; ignored when unsigned
 * @param nsec3 hashing parameters when {@code denial} is NSEC3, else null
 * @param inception start of the signature validity window
 * @param expiration end of the signature validity window
 * @param keyIndex picks distinct cached keys so zones with the same algorithm do not share keys
 */
public record SigningConfig(
    int algorithm,
    Denial denial,
    Nsec3Params nsec3,
    Instant inception,
    Instant expiration,
    int keyIndex) {

  public SigningConfig {
    if (algorithm != 0) {
      Objects.requireNonNull(denial, "denial");
      Objects.requireNonNull(inception, "inception");
      Objects.requireNonNull(expiration, "expiration");
      if (denial == Denial.NSEC3) {
        Objects.requireNonNull(nsec3, "nsec3 parameters");
      }
    }
  }

  public static SigningConfig unsigned() {
    return new SigningConfig(0, null, null, null, null, 0);
  }

  public static SigningConfig nsec(int algorithm, Instant inception, Instant expiration) {
    return new SigningConfig(algorithm, Denial.NSEC, null, inception, expiration, 0);
  }

  public static SigningConfig nsec3(
      int algorithm, Nsec3Params params, Instant inception, Instant expiration) {
    return new SigningConfig(algorithm, Denial.NSEC3, params, inception, expiration, 0);
  }

  public SigningConfig withKeyIndex(int index) {
    return new SigningConfig(algorithm, denial, nsec3, inception, expiration, index);
  }

  public boolean signed() {
    return algorithm != 0;
  }
}
