package io.dnssecproxy.lab;

import java.util.Arrays;

/**
 * NSEC3 hashing parameters (RFC 5155). The hash algorithm is always SHA-1, the only one defined.
 *
 * @param iterations extra hash iterations; RFC 9276 recommends 0
 * @param salt salt bytes; RFC 9276 recommends empty
 * @param optOut whether insecure delegations are left out of the chain (flag 1)
 */
public record Nsec3Params(int iterations, byte[] salt, boolean optOut) {

  public Nsec3Params {
    if (iterations < 0 || iterations > 65535) {
      throw new IllegalArgumentException("iterations out of range: " + iterations);
    }
    salt = salt == null ? new byte[0] : salt.clone();
  }

  /** The RFC 9276 recommendation: no extra iterations, no salt, no opt-out. */
  public static Nsec3Params rfc9276() {
    return new Nsec3Params(0, new byte[0], false);
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  /** The NSEC3 flags field: only the opt-out bit is defined. */
  public int flags() {
    return optOut ? 1 : 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Nsec3Params p
        && p.iterations == iterations
        && p.optOut == optOut
        && Arrays.equals(p.salt, salt);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * iterations + Arrays.hashCode(salt)) + (optOut ? 1 : 0);
  }

  @Override
  public String toString() {
    return "Nsec3Params[iterations=" + iterations + ", saltLength=" + salt.length
        + ", optOut=" + optOut + "]";
  }
}
