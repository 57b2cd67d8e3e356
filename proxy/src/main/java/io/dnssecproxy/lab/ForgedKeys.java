package io.dnssecproxy.lab;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;

/**
 * Key material a hostile zone operator publishes: RSA DNSKEYs that all share one key tag (so a
 * validator has to try each of them for every signature naming that tag, the KeyTrap attack)
 * and RRSIGs that look right but never verify. The RSA moduli are random odd numbers without
 * small factors: useless for signing, but a verifier only learns that after the full modular
 * exponentiation.
 */
final class ForgedKeys {

  /** Primes up to 751: crypto libraries refuse moduli with such factors before doing any work. */
  private static final BigInteger SMALL_PRIMES = smallPrimesProduct(751);

  private ForgedKeys() {}

  /**
   * {@code count} zone keys of algorithm 8 with key tag {@code tag}, a {@code modulusBits}-bit
   * modulus and a public exponent of {@code exponentBits} bits (17: the size of the usual 65537).
   */
  static List<DNSKEYRecord> collidingRsaKeys(Name zone, int tag, int count, int modulusBits, int exponentBits, long seed) {
    Random random = new Random(seed);
    List<DNSKEYRecord> keys = new ArrayList<>();
    while (keys.size() < count) {
      DNSKEYRecord k = rsaKeyWithTag(zone, tag, modulusBits, exponentBits, random);
      if (k != null) {
        keys.add(k);
      }
    }
    return keys;
  }

  /** An RRSIG over {@code owner}/{@code covered} naming key {@code tag}, with random signature bytes. */
  static RRSIGRecord garbageSignature(Name owner, int covered, int algorithm, int tag, Name signer, Instant inception,
      Instant expiration, int signatureBytes, long seed) {
    byte[] sig = new byte[signatureBytes];
    new Random(seed).nextBytes(sig);
    // Below any modulus whose top bit is set, and a valid-looking ECDSA (r, s): verified in full.
    sig[0] &= 0x3F;
    sig[0] |= 0x01;
    if (signatureBytes == 64) {
      sig[32] &= 0x3F;
      sig[32] |= 0x01;
    }
    return new RRSIGRecord(owner, DClass.IN, 3600, covered, algorithm, 3600, expiration, inception, tag, signer, sig);
  }

  /** RFC 4034 appendix B: the sum of the RDATA's 16-bit words, folded. */
  static int keyTag(byte[] rdata) {
    return fold(wordSum(rdata));
  }

  private static long wordSum(byte[] rdata) {
    long ac = 0;
    for (int i = 0; i < rdata.length; i++) {
      ac += (i & 1) == 0 ? (rdata[i] & 0xFF) << 8 : rdata[i] & 0xFF;
    }
    return ac;
  }

  private static int fold(long ac) {
    return (int) ((ac + ((ac >> 16) & 0xFFFF)) & 0xFFFF);
  }

  private static DNSKEYRecord rsaKeyWithTag(Name zone, int tag, int modulusBits, int exponentBits, Random random) {
    BigInteger n = new BigInteger(modulusBits, random).setBit(modulusBits - 1).setBit(0);
    if (!n.gcd(SMALL_PRIMES).equals(BigInteger.ONE)) {
      return null; // crypto libraries refuse such moduli before doing any work
    }
    BigInteger exponent = new BigInteger(Math.max(exponentBits, 17), random).setBit(Math.max(exponentBits, 17) - 1).setBit(0);
    byte[] e = unsigned(exponent);
    byte[] m = unsigned(n);
    // RFC 3110 layout after flags, protocol, algorithm: exponent length (1 byte, or 0 then 2
    // bytes), exponent, modulus.
    int header = e.length < 256 ? 1 : 3;
    byte[] rdata = new byte[4 + header + e.length + m.length];
    rdata[0] = 0x01; // flags 256: zone key
    rdata[2] = 3;
    rdata[3] = (byte) DNSSEC.Algorithm.RSASHA256;
    if (header == 1) {
      rdata[4] = (byte) e.length;
    } else {
      rdata[5] = (byte) (e.length >>> 8);
      rdata[6] = (byte) e.length;
    }
    int eStart = 4 + header;
    System.arraycopy(e, 0, rdata, eStart, e.length);
    System.arraycopy(m, 0, rdata, eStart + e.length, m.length);
    // The tag is a folded sum of 16-bit words: zero one aligned word inside the exponent, sum the
    // rest once, then solve for that word (the exponent must stay odd, the modulus untouched).
    int word = (eStart + 1) & ~1;
    boolean holdsLastByte = word + 1 == eStart + e.length - 1;
    rdata[word] = 0;
    rdata[word + 1] = 0;
    long rest = wordSum(rdata);
    for (int w = 0; w < 0x10000; w++) {
      if (fold(rest + w) != tag || (holdsLastByte && (w & 1) == 0) || (word == eStart && w >>> 8 == 0)) {
        continue;
      }
      rdata[word] = (byte) (w >>> 8);
      rdata[word + 1] = (byte) w;
      DNSKEYRecord k = new DNSKEYRecord(zone, DClass.IN, 3600, DNSKEYRecord.Flags.ZONE_KEY, DNSKEYRecord.Protocol.DNSSEC,
          DNSSEC.Algorithm.RSASHA256, java.util.Arrays.copyOfRange(rdata, 4, rdata.length));
      if (k.getFootprint() != tag) {
        throw new IllegalStateException("key tag arithmetic is off: " + k.getFootprint() + " != " + tag);
      }
      return k;
    }
    return null;
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static BigInteger smallPrimesProduct(int max) {
    BigInteger p = BigInteger.ONE;
    for (int i = 3; i <= max; i += 2) {
      if (BigInteger.valueOf(i).isProbablePrime(30)) {
        p = p.multiply(BigInteger.valueOf(i));
      }
    }
    return p;
  }

}
