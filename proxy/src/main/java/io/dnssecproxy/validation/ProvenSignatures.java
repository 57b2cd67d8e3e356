package io.dnssecproxy.validation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.RRSIGRecord;

/**
 * Signatures proven recently, so that the same (RRset, RRSIG, DNSKEY) is verified once while it
 * stays here (1 MiB of the most recent and most used proofs): an answer fetched again once its cache entry expired or was evicted, or the same
 * RRset (a zone's SOA, an NSEC record, a CNAME's target) arriving in several responses, costs a
 * comparison instead of a signature verification (tens of microseconds).
 *
 * <p>Entries are found by the signature's bytes and hold exactly what else the proof covered:
 * the signed data (the RRSIG's fields before the signature, with the signer, validity window and
 * original TTL, then the RRset in canonical form) and the key's algorithm and material. A hit
 * needs all of it equal, byte for byte. Only proofs are kept: a failure is verified again each
 * time, so nothing here can make a good signature look bad or a bad one good. The validity window
 * is checked by the caller every time, here or not.
 */
final class ProvenSignatures {

  /**
   * Bytes of proofs kept by default. A proof weighs its signed data (an answer's RRset and RRSIG
   * fields: 100-300 bytes for most), signature and key, plus 160 bytes of objects and cache
   * node: about 1,700 typical proofs. Bounded by weight rather than count, so that a zone that
   * signs huge RRsets cannot make the proofs take more than this.
   */
  static final long DEFAULT_BYTES = 1L << 20;
  private static final int OVERHEAD = 160;

  private record Proof(byte[] signedData, int algorithm, byte[] keyMaterial) {}

  private final Cache<ByteBuffer, Proof> proven;

  /** {@code maxBytes} 0 keeps nothing: every signature is verified every time. */
  ProvenSignatures(long maxBytes) {
    this.proven = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((ByteBuffer signature, Proof p) ->
            OVERHEAD + signature.remaining() + p.signedData.length + p.keyMaterial.length)
        .executor(Runnable::run)
        .build();
  }

  /** True when {@code sig} by {@code key} was proven over exactly {@code signedData}. */
  boolean contains(byte[] signedData, RRSIGRecord sig, DNSKEYRecord key) {
    Proof p = proven.getIfPresent(ByteBuffer.wrap(sig.getSignature()));
    return p != null && p.algorithm == key.getAlgorithm() && Arrays.equals(p.keyMaterial, key.getKey())
        && Arrays.equals(p.signedData, signedData);
  }

  void add(byte[] signedData, RRSIGRecord sig, DNSKEYRecord key) {
    proven.put(ByteBuffer.wrap(sig.getSignature()), new Proof(signedData, key.getAlgorithm(), key.getKey()));
  }
}
