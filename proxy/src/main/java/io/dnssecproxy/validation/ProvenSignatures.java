package io.dnssecproxy.validation;

import java.util.Arrays;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.RRSIGRecord;

/**
 * Signatures proven recently, so that the same (RRset, RRSIG, DNSKEY) is verified once while its
 * proof stays here: an answer fetched again once its cache entry expired or was evicted, or the
 * same RRset (a zone's SOA, an NSEC record, a CNAME's target) arriving in several responses,
 * costs a comparison instead of a signature verification (tens of microseconds).
 *
 * <p>A proof holds exactly what the verification covered: the signature, the signed data (the
 * RRSIG's fields before the signature, with the signer, validity window and original TTL, then
 * the RRset in canonical form) and the key's algorithm and material. A hit needs all of it equal,
 * byte for byte. Only proofs are kept: a failure is verified again each time, so nothing here can
 * make a good signature look bad or a bad one good. The validity window is checked by the caller
 * every time, here or not.
 *
 * <p>The table is direct-mapped: a proof goes to the slot its signature's last bytes pick (a
 * signature's bytes are as good as random), replacing what was there. That costs nothing to keep
 * up, unlike an LRU cache, whose upkeep under C1 cost about 2 % of a cold answer's CPU; a zone
 * that fills slots with proofs of its own only makes other signatures be verified again.
 * Signed data over {@value #MAX_SIGNED_DATA} bytes is not kept, which bounds the table's memory.
 */
final class ProvenSignatures {

  /**
   * Slots by default. A typical proof weighs about 450 bytes (signed data, signature, objects;
   * the key's bytes are shared with its DNSKEY record): about 0.9 MB when all are full, 1.8 MB
   * at most.
   */
  static final int DEFAULT_SLOTS = 2048;
  /** Bytes of signed data a proof may hold: an answer's RRset and RRSIG fields are most often 100-300. */
  static final int MAX_SIGNED_DATA = 512;

  private record Proof(byte[] signature, byte[] signedData, int algorithm, byte[] keyMaterial) {}

  /** Immutable proofs in a plain array: a racing reader sees an old proof or a new one, both whole. */
  private final Proof[] slots;

  /** {@code slots} is rounded down to a power of two; 0 keeps nothing. */
  ProvenSignatures(int slots) {
    this.slots = new Proof[slots <= 0 ? 0 : Integer.highestOneBit(slots)];
  }

  /** True when {@code sig} by {@code key} was proven over exactly {@code signedData}. */
  boolean contains(byte[] signedData, RRSIGRecord sig, DNSKEYRecord key) {
    if (slots.length == 0) {
      return false;
    }
    byte[] signature = sig.getSignature();
    Proof p = slots[slot(signature)];
    return p != null && p.algorithm == key.getAlgorithm() && Arrays.equals(p.signature, signature)
        && Arrays.equals(p.keyMaterial, key.getKey()) && Arrays.equals(p.signedData, signedData);
  }

  void add(byte[] signedData, RRSIGRecord sig, DNSKEYRecord key) {
    if (slots.length == 0 || signedData.length > MAX_SIGNED_DATA) {
      return;
    }
    byte[] signature = sig.getSignature();
    slots[slot(signature)] = new Proof(signature, signedData, key.getAlgorithm(), key.getKey());
  }

  private int slot(byte[] signature) {
    int n = signature.length;
    int h = n < 4 ? Arrays.hashCode(signature)
        : (signature[n - 1] & 0xFF) | (signature[n - 2] & 0xFF) << 8 | (signature[n - 3] & 0xFF) << 16 | signature[n - 4] << 24;
    return (h ^ h >>> 16) & (slots.length - 1);
  }
}
