package io.dnssecproxy.validation;

/**
 * Where an RSA public key's exponent and modulus lie in a DNSKEY's key field (RFC 3110 section
 * 2: an exponent length of one byte, or a zero byte and two bytes, then the exponent, then the
 * modulus).
 */
record RsaKeyLayout(int exponentAt, int exponentLength, int modulusAt, int modulusLength) {

  /** Null when the field is too short for its length prefix, or leaves no exponent or no modulus. */
  static RsaKeyLayout of(byte[] k) {
    if (k.length < 1) {
      return null;
    }
    int exponentLength = k[0] & 0xFF;
    int at = 1;
    if (exponentLength == 0) {
      if (k.length < 3) {
        return null;
      }
      exponentLength = ((k[1] & 0xFF) << 8) | (k[2] & 0xFF);
      at = 3;
    }
    int modulusLength = k.length - at - exponentLength;
    if (exponentLength == 0 || modulusLength <= 0) {
      return null;
    }
    return new RsaKeyLayout(at, exponentLength, at + exponentLength, modulusLength);
  }
}
