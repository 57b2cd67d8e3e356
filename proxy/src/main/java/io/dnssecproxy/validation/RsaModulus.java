package io.dnssecproxy.validation;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;

/**
 * Modular exponentiation with one RSA public modulus, built for the C1-only JIT the image runs:
 * {@link BigInteger#modPow} spends about 160 us on an RSA-2048 verification there (C2 would
 * replace its inner loops with intrinsics; C1 does not), which made RSA the costliest algorithm.
 *
 * <p>Numbers are held as {@code limbs} digits of 44 bits, each an integer-valued {@code double}.
 * The product of two digits (up to 88 bits) is split exactly into a whole number of 2^44 and a
 * remainder by two fused multiply-adds ({@link Math#fma}, a single instruction under C1 too):
 * the first rounds the product, scaled by 2^-44, to an integer by adding 2^52; the second
 * subtracts that integer and leaves the exact remainder. Column sums of up to 2 * limbs such
 * parts stay below 2^53 (for moduli up to 4,096 bits), so they add up exactly in doubles, and
 * the inner loops carry nothing. Multiplication is Montgomery's, one column at a time (product
 * scanning), with R = 2^(44 * limbs) > 4n so that results stay below 2n without a subtraction.
 *
 * <p>Not constant-time: it only ever handles public values (a signature and a public key).
 * Exact on any JVM (Java 17 floating point is strict, and {@code Math.fma} rounds once by
 * specification), but fast only where the JIT turns {@code Math.fma} into the CPU's instruction:
 * elsewhere each call goes through {@code BigDecimal}, thousands of times slower, so callers
 * check {@link #HARDWARE_FMA} first.
 */
final class RsaModulus {

  /** True when HotSpot compiles Math.fma to an instruction (its UseFMA flag, set from the CPU). */
  static final boolean HARDWARE_FMA = hardwareFma();

  static final int MAX_BITS = RsaKeyLimits.MAX_MODULUS_BITS;
  private static final int DIGIT_BITS = 44;
  private static final long DIGIT_MASK = (1L << DIGIT_BITS) - 1;
  private static final double RADIX = 0x1p44;
  private static final double INV_RADIX = 0x1p-44;
  /** Added to a value in [0, 2^52), it leaves an ulp of 1: the sum rounds the value to an integer. */
  private static final double ROUND = 0x1p52;

  private final BigInteger modulus;
  private final int limbs;
  /** The modulus's digits, each scaled by 2^-44 (the second factor of every product is). */
  private final double[] modulusScaled;
  /** -modulus^-1 mod 2^44. */
  private final long inverse;
  /** R^2 mod modulus: one Montgomery product with it brings a number into Montgomery form. */
  private final double[] rSquaredScaled;

  private static boolean hardwareFma() {
    try {
      HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return hotSpot != null && "true".equals(hotSpot.getVMOption("UseFMA").getValue());
    } catch (RuntimeException | LinkageError e) {
      return false; // not HotSpot, or no such flag: no promise of a fast Math.fma
    }
  }

  /** Null when this class does not handle {@code modulus}: even, not above 1, or too long. */
  static RsaModulus of(BigInteger modulus) {
    if (modulus.signum() <= 0 || !modulus.testBit(0) || modulus.bitLength() < 2 || modulus.bitLength() > MAX_BITS) {
      return null;
    }
    return new RsaModulus(modulus);
  }

  private RsaModulus(BigInteger modulus) {
    this.modulus = modulus;
    // two spare bits: R > 4n keeps every Montgomery product below 2n
    this.limbs = (modulus.bitLength() + 2 + DIGIT_BITS - 1) / DIGIT_BITS;
    this.modulusScaled = scaled(digits(modulus, limbs));
    BigInteger radix = BigInteger.ONE.shiftLeft(DIGIT_BITS);
    this.inverse = modulus.mod(radix).modInverse(radix).negate().mod(radix).longValueExact();
    BigInteger r = BigInteger.ONE.shiftLeft(DIGIT_BITS * limbs);
    this.rSquaredScaled = scaled(digits(r.multiply(r).mod(modulus), limbs));
  }

  BigInteger modulus() {
    return modulus;
  }

  /**
   * {@code base^exponent mod modulus}, for {@code 0 <= base < modulus} and {@code exponent >= 1},
   * as a number in [0, modulus]: the modulus itself stands for 0 (when base is 0), which a
   * caller comparing the result with a value below the modulus need not tell apart.
   */
  BigInteger pow(BigInteger base, long exponent) {
    if (base.signum() < 0 || base.compareTo(modulus) >= 0 || exponent < 1) {
      throw new IllegalArgumentException("base must be in [0, modulus) and exponent at least 1");
    }
    int n = limbs;
    double[] x = digits(base, n);
    double[] m = new double[n];
    double[] baseMont = new double[n];
    double[] baseMontScaled = new double[n];
    multiply(x, rSquaredScaled, m, baseMont, baseMontScaled);
    double[] acc = baseMont.clone();
    double[] accScaled = baseMontScaled.clone();
    double[] out = new double[n];
    double[] outScaled = new double[n];
    for (int bit = 62 - Long.numberOfLeadingZeros(exponent); bit >= 0; bit--) {
      square(acc, accScaled, m, out, outScaled);
      double[] t = acc; acc = out; out = t;
      t = accScaled; accScaled = outScaled; outScaled = t;
      if ((exponent >>> bit & 1) != 0) {
        multiply(acc, baseMontScaled, m, out, outScaled);
        t = acc; acc = out; out = t;
        t = accScaled; accScaled = outScaled; outScaled = t;
      }
    }
    // out of Montgomery form: a product with 1
    double[] one = new double[n];
    one[0] = INV_RADIX;
    multiply(acc, one, m, out, outScaled);
    return toBigInteger(out);
  }

  /**
   * out = a * b / R mod modulus (below 2n); b and out also scaled. m is scratch.
   *
   * <p>Column k sums the digit products x * y with index sum k, each split as in the class
   * comment: {@code nh = ROUND - fma(x, y, ROUND)} is minus the product over 2^44 rounded to a
   * whole number (the "high" part, which belongs to column k + 1), {@code fma(x, y, nh)} the exact
   * remainder, a multiple of 2^-44 of magnitude at most 1/2 (the "low" part, column k's own).
   * Two pairs of sums (a * b and m * n) let the additions of consecutive products overlap. The
   * split is written out at each product, here and in {@link #square}, on purpose: a helper
   * cannot hand back two doubles without an object per product.
   */
  private void multiply(double[] a, double[] bScaled, double[] m, double[] out, double[] outScaled) {
    final int n = limbs;
    final double[] ns = modulusScaled;
    long carry = 0;
    double highIn = 0;
    for (int k = 0; k < 2 * n; k++) {
      double low = 0;
      double high = 0;
      double low2 = 0;
      double high2 = 0;
      // m[i] * n[k - i] for i < last, and a[i] * b[k - i] too (with a[k] * b[0] below while k < n)
      int last = Math.min(k, n);
      for (int i = Math.max(0, k - n + 1); i < last; i++) {
        double x = a[i];
        double y = bScaled[k - i];
        double nh = ROUND - Math.fma(x, y, ROUND);
        low += Math.fma(x, y, nh);
        high -= nh;
        x = m[i];
        y = ns[k - i];
        nh = ROUND - Math.fma(x, y, ROUND);
        low2 += Math.fma(x, y, nh);
        high2 -= nh;
      }
      if (k < n) {
        double x = a[k];
        double y = bScaled[0];
        double nh = ROUND - Math.fma(x, y, ROUND);
        low += Math.fma(x, y, nh);
        high -= nh;
      }
      long column = carry + (long) highIn + (long) ((low + low2) * RADIX);
      highIn = high + high2;
      carry = k < n ? reduceColumn(k, column, m) : emit(k - n, column, out, outScaled);
    }
  }

  /**
   * out = a * a / R mod modulus (below 2n). Each cross product a[i] * a[j], i < j, is summed once
   * and doubled; the loops keep two or three independent sums so that the additions overlap.
   */
  private void square(double[] a, double[] aScaled, double[] m, double[] out, double[] outScaled) {
    final int n = limbs;
    final double[] ns = modulusScaled;
    long carry = 0;
    double highIn = 0;
    for (int k = 0; k < 2 * n; k++) {
      double low = 0;
      double high = 0;
      double low2 = 0;
      double high2 = 0;
      double low3 = 0;
      double high3 = 0;
      int i = Math.max(0, k - n + 1);
      int crossEnd = (k + 1) / 2; // i < k - i
      int last = Math.min(k, n); // m[k] * n[0] is added by reduceColumn
      for (; i < crossEnd; i++) {
        double x = a[i];
        double y = aScaled[k - i];
        double nh = ROUND - Math.fma(x, y, ROUND);
        low += Math.fma(x, y, nh);
        high -= nh;
        x = m[i];
        y = ns[k - i];
        nh = ROUND - Math.fma(x, y, ROUND);
        low2 += Math.fma(x, y, nh);
        high2 -= nh;
      }
      low += low;
      high += high;
      for (; i + 1 < last; i += 2) {
        double x = m[i];
        double y = ns[k - i];
        double nh = ROUND - Math.fma(x, y, ROUND);
        low2 += Math.fma(x, y, nh);
        high2 -= nh;
        x = m[i + 1];
        y = ns[k - i - 1];
        nh = ROUND - Math.fma(x, y, ROUND);
        low3 += Math.fma(x, y, nh);
        high3 -= nh;
      }
      if (i < last) {
        double x = m[i];
        double y = ns[k - i];
        double nh = ROUND - Math.fma(x, y, ROUND);
        low3 += Math.fma(x, y, nh);
        high3 -= nh;
      }
      if ((k & 1) == 0 && k / 2 < n) {
        double x = a[k / 2];
        double y = aScaled[k / 2];
        double nh = ROUND - Math.fma(x, y, ROUND);
        low += Math.fma(x, y, nh);
        high -= nh;
      }
      long column = carry + (long) highIn + (long) ((low + low2 + low3) * RADIX);
      highIn = high + high2 + high3;
      carry = k < n ? reduceColumn(k, column, m) : emit(k - n, column, out, outScaled);
    }
  }

  /**
   * Picks the Montgomery digit m[k] that clears column k's low 44 bits, adds m[k] * n[0] and
   * returns what the column carries into the next one (the product's high part included).
   */
  private long reduceColumn(int k, long column, double[] m) {
    double mk = ((column & DIGIT_MASK) * inverse) & DIGIT_MASK;
    m[k] = mk;
    double y = modulusScaled[0];
    double h = Math.fma(mk, y, ROUND) - ROUND;
    column += (long) (Math.fma(mk, y, -h) * RADIX);
    return (column >> DIGIT_BITS) + (long) h; // the shift is exact: the low 44 bits are 0 now
  }

  /** Stores column k's digit as out[index] and returns its carry. */
  private static long emit(int index, long column, double[] out, double[] outScaled) {
    double d = column & DIGIT_MASK;
    out[index] = d;
    outScaled[index] = d * INV_RADIX;
    return column >> DIGIT_BITS;
  }

  /** The low {@code count} 44-bit digits of {@code v >= 0}, least significant first. */
  private static double[] digits(BigInteger v, int count) {
    byte[] b = v.toByteArray();
    double[] d = new double[count];
    long pending = 0;
    int pendingBits = 0;
    int next = 0;
    for (int i = b.length - 1; i >= 0 && next < count; i--) {
      pending |= (long) (b[i] & 0xFF) << pendingBits;
      pendingBits += 8;
      if (pendingBits >= DIGIT_BITS) {
        d[next++] = pending & DIGIT_MASK;
        pending >>>= DIGIT_BITS;
        pendingBits -= DIGIT_BITS;
      }
    }
    if (next < count) {
      d[next] = pending;
    }
    return d;
  }

  private static double[] scaled(double[] digits) {
    double[] s = new double[digits.length];
    for (int i = 0; i < digits.length; i++) {
      s[i] = digits[i] * INV_RADIX;
    }
    return s;
  }

  private static BigInteger toBigInteger(double[] digits) {
    byte[] b = new byte[(digits.length * DIGIT_BITS + 7) / 8];
    long pending = 0;
    int pendingBits = 0;
    int next = b.length - 1;
    for (double digit : digits) {
      pending |= (long) digit << pendingBits;
      pendingBits += DIGIT_BITS;
      while (pendingBits >= 8) {
        b[next--] = (byte) pending;
        pending >>>= 8;
        pendingBits -= 8;
      }
    }
    if (pendingBits > 0) {
      b[next] = (byte) pending;
    }
    return new BigInteger(1, b);
  }
}
