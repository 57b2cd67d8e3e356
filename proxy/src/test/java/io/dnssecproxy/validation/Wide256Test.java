package io.dnssecproxy.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.math.raw.Nat256;
import org.junit.jupiter.api.Test;

/** The unrolled products against BouncyCastle's {@code Nat256}, on random and extreme limbs. */
class Wide256Test {

  private final Random random = new Random(7);

  @Test
  void productsAndSquaresEqualNat256s() {
    int[] x = new int[8];
    int[] y = new int[8];
    int[] expected = new int[16];
    int[] actual = new int[16];
    for (int t = 0; t < 20_000; t++) {
      fill(x, t);
      fill(y, t / 3);
      Nat256.mul(x, y, expected);
      Wide256.mul(x, y, actual);
      assertArrayEquals(expected, actual, () -> "mul " + Arrays.toString(x) + " " + Arrays.toString(y));
      Nat256.square(x, expected);
      Wide256.square(x, actual);
      assertArrayEquals(expected, actual, () -> "square " + Arrays.toString(x));
    }
  }

  /** Random limbs, except every few rounds all ones, all zeros or a single extreme limb. */
  private void fill(int[] limbs, int round) {
    for (int i = 0; i < 8; i++) {
      limbs[i] = random.nextInt();
    }
    switch (round % 5) {
      case 1 -> Arrays.fill(limbs, -1);
      case 2 -> Arrays.fill(limbs, 0);
      case 3 -> limbs[random.nextInt(8)] = -1;
      default -> { }
    }
  }
}
