package io.dnssecproxy.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.DSRecord.Digest;

class AlgorithmPolicyTest {

  @Test
  void defaultsValidateTheRfc8624Algorithms() {
    AlgorithmPolicy p = AlgorithmPolicy.defaults();
    for (int alg : new int[] {Algorithm.RSASHA1, Algorithm.RSA_NSEC3_SHA1, Algorithm.RSASHA256, Algorithm.RSASHA512,
        Algorithm.ECDSAP256SHA256, Algorithm.ECDSAP384SHA384, Algorithm.ED25519, Algorithm.ED448}) {
      assertTrue(p.supportsAlgorithm(alg), "algorithm " + alg);
    }
  }

  @Test
  void defaultsLeaveOutDsaAndGostAndRsaMd5() {
    AlgorithmPolicy p = AlgorithmPolicy.defaults();
    assertFalse(p.supportsAlgorithm(Algorithm.DSA));
    assertFalse(p.supportsAlgorithm(Algorithm.DSA_NSEC3_SHA1));
    assertFalse(p.supportsAlgorithm(Algorithm.ECC_GOST));
    assertFalse(p.supportsAlgorithm(Algorithm.RSAMD5));
  }

  @Test
  void defaultDigestsAreSha1Sha256Sha384() {
    AlgorithmPolicy p = AlgorithmPolicy.defaults();
    assertTrue(p.supportsDigest(Digest.SHA1));
    assertTrue(p.supportsDigest(Digest.SHA256));
    assertTrue(p.supportsDigest(Digest.SHA384));
    assertFalse(p.supportsDigest(Digest.GOST3411));
  }

  @Test
  void withEnabledAddsDsaToTheDefaults() {
    AlgorithmPolicy p = AlgorithmPolicy.withEnabled(Set.of(Algorithm.DSA));
    assertTrue(p.supportsAlgorithm(Algorithm.DSA));
    assertTrue(p.supportsAlgorithm(Algorithm.ECDSAP256SHA256));
    assertFalse(p.supportsAlgorithm(Algorithm.DSA_NSEC3_SHA1));
  }

  @Test
  void enablingGostAlsoAcceptsGostDigests() {
    AlgorithmPolicy p = AlgorithmPolicy.withEnabled(Set.of(Algorithm.ECC_GOST));
    assertTrue(p.supportsAlgorithm(Algorithm.ECC_GOST));
    assertTrue(p.supportsDigest(Digest.GOST3411));
  }

  @Test
  void withNothingEnabledEqualsTheDefaults() {
    assertEquals(AlgorithmPolicy.defaults().algorithms(), AlgorithmPolicy.withEnabled(Set.of()).algorithms());
  }

  @Test
  void enablingADefaultAlgorithmIsHarmless() {
    assertEquals(AlgorithmPolicy.defaults().algorithms(), AlgorithmPolicy.withEnabled(Set.of(Algorithm.RSASHA256)).algorithms());
  }

  @Test
  void unknownAlgorithmCannotBeEnabled() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlgorithmPolicy.withEnabled(Set.of(99)));
    assertTrue(e.getMessage().contains("99"), e.getMessage());
    assertTrue(e.getMessage().contains("[3, 6, 12]"), e.getMessage());
  }

  @Test
  void rsaMd5CannotBeEnabled() {
    assertThrows(IllegalArgumentException.class, () -> AlgorithmPolicy.withEnabled(Set.of(Algorithm.RSAMD5)));
  }
}
