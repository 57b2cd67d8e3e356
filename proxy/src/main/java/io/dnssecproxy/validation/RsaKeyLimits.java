package io.dnssecproxy.validation;

import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;

/**
 * Refuses RSA DNSKEYs whose verification would cost far more than any real key's. The cost of an
 * RSA verification grows with the public exponent's length, and RFC 3110 allows exponents up to
 * 4096 bits: a zone publishing such keys turns each signature check into the price of a
 * private-key operation (about 20 ms here instead of 0.1 ms), a KeyTrap-style amplifier the
 * per-RRset attempt cap does not blunt. Real keys use 3 or 65537; OpenSSL (BIND) and the JDK
 * refuse exponents over 64 bits for large moduli, and we do so for all. The modulus is held to
 * RFC 3110's 4096 bits for the same reason.
 */
final class RsaKeyLimits {

  static final int MAX_EXPONENT_BITS = 64;
  static final int MAX_MODULUS_BITS = 4096;

  private RsaKeyLimits() {}

  /** Why this key is not worth verifying with, or null when it is fine (or not RSA). */
  static String refusal(DNSKEYRecord key) {
    if (!isRsa(key.getAlgorithm())) {
      return null;
    }
    byte[] k = key.getKey();
    if (k.length < 1) {
      return "RSA key is empty";
    }
    RsaKeyLayout layout = RsaKeyLayout.of(k);
    if (layout == null) {
      return "RSA key is truncated";
    }
    int expBits = significantBits(k, layout.exponentAt(), layout.exponentLength());
    if (expBits > MAX_EXPONENT_BITS) {
      return "RSA public exponent of " + expBits + " bits (more than " + MAX_EXPONENT_BITS + ")";
    }
    int modulusBits = significantBits(k, layout.modulusAt(), layout.modulusLength());
    if (modulusBits > MAX_MODULUS_BITS) {
      return "RSA modulus of " + modulusBits + " bits (more than " + MAX_MODULUS_BITS + ", RFC 3110)";
    }
    return null;
  }

  private static boolean isRsa(int algorithm) {
    return algorithm == DNSSEC.Algorithm.RSAMD5 || algorithm == DNSSEC.Algorithm.RSASHA1
        || algorithm == DNSSEC.Algorithm.RSA_NSEC3_SHA1 || algorithm == DNSSEC.Algorithm.RSASHA256
        || algorithm == DNSSEC.Algorithm.RSASHA512;
  }

  /** Bit length of the big-endian unsigned number in {@code b[from, from+length)}. */
  private static int significantBits(byte[] b, int from, int length) {
    for (int i = 0; i < length; i++) {
      int v = b[from + i] & 0xFF;
      if (v != 0) {
        return (length - i - 1) * 8 + (32 - Integer.numberOfLeadingZeros(v));
      }
    }
    return 0;
  }
}
