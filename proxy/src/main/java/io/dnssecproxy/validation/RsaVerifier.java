package io.dnssecproxy.validation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.RRSIGRecord;

/**
 * Proves RSA signatures (RFC 3110, 5702: algorithms 5, 7, 8 and 10) with {@link RsaModulus}
 * instead of {@link BigInteger#modPow}, about twice as fast under C1 (where the CPU has FMA
 * instructions; elsewhere every signature goes the usual way).
 *
 * <p>It only ever says yes: a signature whose RSASSA-PKCS1-v1_5 encoding (RFC 8017 section 8.2,
 * the DigestInfo with its NULL parameters) comes out exactly is proven; anything else (another
 * encoding, a signature that is not a number below the modulus, a key of odd shape) is left to
 * dnsjava and BouncyCastle, which decide it as they always have and word any error. So a bad
 * signature costs this check on top of theirs, and this class can never turn a good signature
 * bad.
 */
final class RsaVerifier {

  /** Keys kept with their precomputed modulus (about 2 KB each for RSA-2048). */
  private static final int MAX_KEYS = 256;

  // The hash and DER DigestInfo prefix of each algorithm (RFC 8017 section 9.2, note 1)
  private static final Scheme SHA1 = new Scheme("3021300906052b0e03021a05000414", "SHA-1");
  private static final Scheme SHA256 = new Scheme("3031300d060960864801650304020105000420", "SHA-256");
  private static final Scheme SHA512 = new Scheme("3051300d060960864801650304020305000440", "SHA-512");

  private final Cache<ByteBuffer, PublicKey> keys =
      Caffeine.newBuilder().maximumSize(MAX_KEYS).executor(Runnable::run).build();

  /**
   * True when {@code sig} by {@code key} proves {@code signedData} (the RRSIG's fields and the
   * RRset, as {@code DNSSEC.digestRRset} lays them out); false when this class leaves the
   * decision to dnsjava (the signature may still be good). The validity window is the caller's.
   */
  boolean proves(byte[] signedData, RRSIGRecord sig, DNSKEYRecord key) {
    Scheme scheme = scheme(sig.getAlgorithm());
    if (!RsaModulus.HARDWARE_FMA || scheme == null || key.getAlgorithm() != sig.getAlgorithm()
        || !key.getName().equals(sig.getSigner())) {
      return false;
    }
    byte[] material = key.getKey();
    PublicKey pub = keys.get(ByteBuffer.wrap(material), k -> PublicKey.parse(material));
    byte[] signature = sig.getSignature();
    if (pub == PublicKey.UNUSABLE || signature.length != pub.length) {
      return false;
    }
    BigInteger s = new BigInteger(1, signature);
    if (s.compareTo(pub.modulus.modulus()) >= 0) {
      return false;
    }
    byte[] hash = scheme.digest.get().digest(signedData);
    byte[] encoded = encoding(pub.length, scheme.info, hash);
    return encoded != null && pub.modulus.pow(s, pub.exponent).equals(new BigInteger(1, encoded));
  }

  /** EM = 0x00 0x01 0xFF.. 0x00 DigestInfo hash, or null when the modulus is too short for it. */
  private static byte[] encoding(int length, byte[] info, byte[] hash) {
    int padding = length - 3 - info.length - hash.length;
    if (padding < 8) {
      return null;
    }
    byte[] em = new byte[length];
    em[1] = 0x01;
    Arrays.fill(em, 2, 2 + padding, (byte) 0xFF);
    System.arraycopy(info, 0, em, 3 + padding, info.length);
    System.arraycopy(hash, 0, em, 3 + padding + info.length, hash.length);
    return em;
  }

  private static Scheme scheme(int algorithm) {
    switch (algorithm) {
      case Algorithm.RSASHA1:
      case Algorithm.RSA_NSEC3_SHA1:
        return SHA1;
      case Algorithm.RSASHA256:
        return SHA256;
      case Algorithm.RSASHA512:
        return SHA512;
      default:
        return null;
    }
  }

  /** How an algorithm hashes: its DigestInfo prefix and a per-thread digest. */
  private static final class Scheme {
    final byte[] info;
    final ThreadLocal<MessageDigest> digest;

    Scheme(String infoHex, String digestName) {
      this.info = HexFormat.of().parseHex(infoHex);
      this.digest = CryptoProviders.fastDigest(digestName);
    }
  }

  /** An RSA public key in DNSKEY form, ready to verify with. */
  private static final class PublicKey {
    static final PublicKey UNUSABLE = new PublicKey(null, 0, 0);

    final RsaModulus modulus;
    final long exponent;
    /** The modulus's length in bytes, which a signature must have. */
    final int length;

    private PublicKey(RsaModulus modulus, long exponent, int length) {
      this.modulus = modulus;
      this.exponent = exponent;
      this.length = length;
    }

    static PublicKey parse(byte[] k) {
      RsaKeyLayout layout = RsaKeyLayout.of(k);
      if (layout == null || k[layout.modulusAt()] == 0) {
        return UNUSABLE; // a modulus with leading zeros: its signatures' length is ambiguous
      }
      int modulusEnd = layout.modulusAt() + layout.modulusLength();
      BigInteger exponent = new BigInteger(1, Arrays.copyOfRange(k, layout.exponentAt(), layout.modulusAt()));
      if (exponent.signum() == 0 || exponent.bitLength() > 63) {
        return UNUSABLE;
      }
      RsaModulus modulus = RsaModulus.of(new BigInteger(1, Arrays.copyOfRange(k, layout.modulusAt(), modulusEnd)));
      return modulus == null ? UNUSABLE : new PublicKey(modulus, exponent.longValue(), layout.modulusLength());
    }
  }
}
