package io.dnssecproxy.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link RsaModulus} against {@link BigInteger#modPow}, the arithmetic it replaces. */
class RsaModulusTest {

  private static final BigInteger TWO = BigInteger.valueOf(2);

  @ParameterizedTest(name = "{0}-bit moduli")
  @ValueSource(ints = {2, 3, 43, 44, 45, 88, 512, 1024, 1536, 2047, 2048, 2049, 3072, 4095, 4096})
  void powAgreesWithModPowForEveryExponentShapeAndEdgeBase(int bits) {
    Random random = new Random(bits);
    long[] exponents = {1, 2, 3, 17, 65537, (1L << 32) + 1, random.nextLong() >>> 1, Long.MAX_VALUE};
    for (int trial = 0; trial < 6; trial++) {
      // the top bit set in half of them: the largest moduli of each length, where R > 4n is tightest
      BigInteger drawn = new BigInteger(bits, random).setBit(0);
      drawn = trial % 2 == 0 ? drawn.setBit(bits - 1) : drawn;
      BigInteger n = drawn.bitLength() < 2 ? BigInteger.valueOf(3) : drawn;
      RsaModulus modulus = RsaModulus.of(n);
      assertNotNull(modulus, n.toString(16));
      BigInteger[] bases = {BigInteger.ZERO, BigInteger.ONE, TWO.min(n.subtract(BigInteger.ONE)),
          n.subtract(BigInteger.ONE), n.shiftRight(1), new BigInteger(bits + 16, random).mod(n)};
      for (long e : exponents) {
        for (BigInteger base : bases) {
          BigInteger got = modulus.pow(base, e);
          BigInteger want = base.modPow(BigInteger.valueOf(e), n);
          assertTrue(got.signum() >= 0 && got.compareTo(n) <= 0, "result outside [0, n]");
          assertEquals(want, got.mod(n), () -> "n=" + n.toString(16) + " e=" + e + " base=" + base.toString(16));
        }
      }
    }
  }

  @Test
  void manyRandomRsa2048SizedOperandsAgreeWithModPow() {
    Random random = new Random(2048);
    for (int i = 0; i < 200; i++) {
      BigInteger n = new BigInteger(2048, random).setBit(2047).setBit(0);
      BigInteger base = new BigInteger(2048, random).mod(n);
      assertEquals(base.modPow(BigInteger.valueOf(65537), n), RsaModulus.of(n).pow(base, 65537).mod(n));
    }
  }

  @ParameterizedTest(name = "{0}-bit moduli")
  @ValueSource(ints = {64, 88, 1024, 2048, 2068, 4094, 4096})
  void operandsWithEveryDigitAtItsMaximumAgreeWithModPow(int bits) {
    // all-ones digits make every column sum and carry as large as they get
    BigInteger allOnes = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    BigInteger[] moduli = {allOnes, allOnes.subtract(TWO), BigInteger.ONE.shiftLeft(bits - 1).add(BigInteger.ONE),
        allOnes.xor(BigInteger.ONE.shiftLeft(bits / 2))};
    for (BigInteger n : moduli) {
      RsaModulus modulus = RsaModulus.of(n);
      BigInteger[] bases = {n.subtract(BigInteger.ONE), n.subtract(TWO), n.shiftRight(1), allOnes.shiftRight(1),
          BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE).mod(n), allOnes.shiftRight(bits / 3)};
      for (long e : new long[] {3, 65537, Long.MAX_VALUE}) {
        for (BigInteger base : bases) {
          assertEquals(base.modPow(BigInteger.valueOf(e), n), modulus.pow(base, e).mod(n),
              () -> "n=" + n.toString(16) + " e=" + e + " base=" + base.toString(16));
        }
      }
    }
  }

  @Test
  void onlyOddModuliAboveOneOfAtMost4096BitsAreTaken() {
    assertNull(RsaModulus.of(BigInteger.valueOf(1)));
    assertNull(RsaModulus.of(BigInteger.ZERO));
    assertNull(RsaModulus.of(BigInteger.valueOf(-7)));
    assertNull(RsaModulus.of(BigInteger.ONE.shiftLeft(2048)), "even");
    assertNull(RsaModulus.of(BigInteger.ONE.shiftLeft(4096).add(BigInteger.ONE)), "4097 bits");
    assertNotNull(RsaModulus.of(BigInteger.ONE.shiftLeft(4096).subtract(BigInteger.ONE)));
  }

  @Test
  void aBaseOutsideTheResidueRangeOrAnExponentBelowOneIsRefused() {
    BigInteger n = BigInteger.valueOf(1_000_003);
    RsaModulus modulus = RsaModulus.of(n);
    assertThrows(IllegalArgumentException.class, () -> modulus.pow(n, 3));
    assertThrows(IllegalArgumentException.class, () -> modulus.pow(BigInteger.valueOf(-1), 3));
    assertThrows(IllegalArgumentException.class, () -> modulus.pow(BigInteger.TWO, 0));
    assertThrows(IllegalArgumentException.class, () -> modulus.pow(BigInteger.TWO, -5));
  }
}
