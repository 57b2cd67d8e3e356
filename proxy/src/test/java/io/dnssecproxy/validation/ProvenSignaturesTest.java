package io.dnssecproxy.validation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Type;

/** The bookkeeping alone, with made-up bytes: which proofs are found, and how many are kept. */
class ProvenSignaturesTest {

  private static final Name ZONE = Name.fromConstantString("example.");
  private static final Instant T = Instant.parse("2026-11-22T00:00:00Z");

  @Test
  void aProofIsFoundOnlyForTheSameSignedDataSignatureKeyAndAlgorithm() {
    ProvenSignatures proven = new ProvenSignatures(ProvenSignatures.DEFAULT_SLOTS);
    byte[] data = filled(200, 1);
    RRSIGRecord sig = sig(filled(64, 2));
    DNSKEYRecord key = key(Algorithm.ECDSAP256SHA256, filled(64, 3));
    assertFalse(proven.contains(data, sig, key));
    proven.add(data, sig, key);

    assertTrue(proven.contains(data.clone(), sig(filled(64, 2)), key(Algorithm.ECDSAP256SHA256, filled(64, 3))));
    byte[] otherData = data.clone();
    otherData[199] ^= 1;
    assertFalse(proven.contains(otherData, sig, key), "other signed data");
    assertFalse(proven.contains(Arrays.copyOf(data, 199), sig, key), "shorter signed data");
    assertFalse(proven.contains(data, sig(filled(64, 9)), key), "other signature");
    assertFalse(proven.contains(data, sig, key(Algorithm.ECDSAP256SHA256, filled(64, 4))), "other key");
    assertFalse(proven.contains(data, sig, key(Algorithm.ED25519, filled(64, 3))), "same key bytes, other algorithm");
  }

  @Test
  void hugeSignedDataIsNotKeptAndTheTableHoldsNoMoreThanItsSlots() {
    ProvenSignatures proven = new ProvenSignatures(4);
    DNSKEYRecord key = key(Algorithm.RSASHA256, filled(260, 7));
    byte[] huge = filled(ProvenSignatures.MAX_SIGNED_DATA + 1, 1);
    RRSIGRecord hugeSig = sig(filled(256, 1));
    proven.add(huge, hugeSig, key);
    assertFalse(proven.contains(huge, hugeSig, key));
    byte[] largest = filled(ProvenSignatures.MAX_SIGNED_DATA, 1);
    proven.add(largest, hugeSig, key);
    assertTrue(proven.contains(largest, hugeSig, key));

    int kept = 0;
    for (int i = 0; i < 20; i++) {
      proven.add(filled(100, i), sig(filled(256, 100 + i)), key);
    }
    for (int i = 0; i < 20; i++) {
      kept += proven.contains(filled(100, i), sig(filled(256, 100 + i)), key) ? 1 : 0;
    }
    assertTrue(kept >= 1 && kept <= 4, "kept " + kept);
  }

  @Test
  void zeroSlotsKeepNothing() {
    ProvenSignatures proven = new ProvenSignatures(0);
    byte[] data = filled(100, 1);
    RRSIGRecord sig = sig(filled(64, 2));
    DNSKEYRecord key = key(Algorithm.ECDSAP256SHA256, filled(64, 3));
    proven.add(data, sig, key);
    assertFalse(proven.contains(data, sig, key));
  }

  private static byte[] filled(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (seed * 31 + i * 7);
    }
    return b;
  }

  private static RRSIGRecord sig(byte[] signature) {
    return new RRSIGRecord(ZONE, DClass.IN, 300, Type.A, Algorithm.ECDSAP256SHA256, 300, T.plusSeconds(86400), T,
        12345, ZONE, signature);
  }

  private static DNSKEYRecord key(int algorithm, byte[] material) {
    return new DNSKEYRecord(ZONE, DClass.IN, 3600, DNSKEYRecord.Flags.ZONE_KEY, DNSKEYRecord.Protocol.DNSSEC,
        algorithm, material);
  }
}
