package io.dnssecproxy.validation;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.math.ec.custom.sec.SecP256R1Field;
import org.bouncycastle.math.raw.Nat256;
import org.bouncycastle.util.BigIntegers;

/**
 * ECDSA P-256 verification (RFC 6605 algorithm 13) with per-key precomputed tables and no
 * allocation in the point arithmetic.
 *
 * <p>Why not BouncyCastle's ECDSASigner: it uses the same method (a fixed-base comb for both the
 * generator and a key it has seen a few times), but every point operation allocates new element
 * objects (about 86 KB per verification, most of a cold answer's allocation), and its 256-bit
 * products are slow under the sidecar's C1-only JIT. Here the products are {@link Wide256}'s and
 * the rest of the field arithmetic is BouncyCastle's ({@link SecP256R1Field}, {@link Nat256}).
 *
 * <p>Only public data is handled (keys, signatures, digests), so nothing needs to run in constant
 * time. Field elements are {@code int[8]}, little-endian 32-bit limbs, always fully reduced
 * (BouncyCastle's field functions keep them below p), so equality is limb equality. Points are
 * Jacobian (X, Y, Z), affine x = X/Z^2, y = Y/Z^3; Z = 0 is the point at infinity. The formulas
 * handle the exceptional cases (adding a point to itself or to its negation, infinity), so a
 * hostile key or signature can only make verification fail, never give a wrong answer.
 */
final class EcdsaP256 {

  /** Order of the generator. */
  static final BigInteger N =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  private static final BigInteger P_VALUE =
      new BigInteger("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF", 16);
  private static final int[] P = Nat256.fromBigInteger(P_VALUE);
  private static final int[] B = Nat256.fromBigInteger(
      new BigInteger("5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B", 16));
  private static final BigInteger GX =
      new BigInteger("6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296", 16);
  private static final BigInteger GY =
      new BigInteger("4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5", 16);

  /**
   * Comb width of a key's table: 2^6 - 1 entries, {@link #SPACING} doublings per verification.
   * Width 7 verified faster in a loop (58-59 us against 65-72 under C1) but not in the proxy:
   * cold ECDSA answers cost more in five of seven interleaved pairs, its tables being twice the
   * size (cache misses, presumably), and each new key's table costs twice as much to build.
   */
  private static final int WIDTH = 6;
  /** Bits between the comb's teeth in a key's table: ceil(256 / WIDTH). */
  static final int SPACING = (256 + WIDTH - 1) / WIDTH;

  /**
   * Comb width of the generator's table, which is built once: wider, so u1 G needs only
   * {@link #G_SPACING} of the {@link #SPACING} additions (the two combs share their doublings,
   * G's teeth simply start later).
   */
  private static final int G_WIDTH = 10;
  /** Bits between the teeth of the generator's comb: ceil(256 / G_WIDTH). */
  static final int G_SPACING = (256 + G_WIDTH - 1) / G_WIDTH;

  /** The generator's table, built once (on first use of this class). */
  private static final Table G = Table.of(Nat256.fromBigInteger(GX), Nat256.fromBigInteger(GY), G_WIDTH);

  private EcdsaP256() {}

  /**
   * A point's comb table: entry i (1 to 2^width - 1) is the affine sum over the set bits j of i
   * of 2^(j * spacing) times the point. A key's (width 6) takes about 6.5 KB of heap (126 arrays
   * of 8 ints) and is built once per key; the generator's (width 10) about 100 KB.
   */
  static final class Table {
    private final int width;
    private final int spacing;
    private final int[][] x;
    private final int[][] y;

    private Table(int width, int[][] x, int[][] y) {
      this.width = width;
      this.spacing = (256 + width - 1) / width;
      this.x = x;
      this.y = y;
    }

    /**
     * The table of the affine point (x, y), or null if that is not a point of the curve (or not
     * a field element): such a key cannot verify anything.
     */
    static Table of(int[] px, int[] py, int width) {
      if (!onCurve(px, py)) {
        return null;
      }
      int spacing = (256 + width - 1) / width;
      int entries = 1 << width;
      Arithmetic a = new Arithmetic();
      // The comb's teeth: the point times 2^(j * spacing), j = 0 .. width-1, made affine.
      int[][] baseX = new int[width][];
      int[][] baseY = new int[width][];
      baseX[0] = px.clone();
      baseY[0] = py.clone();
      int[] jx = new int[8];
      int[] jy = new int[8];
      int[] jz = new int[8];
      for (int j = 1; j < width; j++) {
        Nat256.copy(baseX[j - 1], jx);
        Nat256.copy(baseY[j - 1], jy);
        one(jz);
        for (int i = 0; i < spacing; i++) {
          a.dbl(jx, jy, jz);
        }
        if (Nat256.isZero(jz)) {
          return null; // only a point of small order could get here; P-256 has none
        }
        baseX[j] = new int[8];
        baseY[j] = new int[8];
        a.toAffine(jx, jy, jz, baseX[j], baseY[j]);
      }
      // Every subset sum, in Jacobian form: entry i = entry (i without its top bit) + that tooth.
      int[][] ex = new int[entries][];
      int[][] ey = new int[entries][];
      int[][] ez = new int[entries][];
      for (int i = 1; i < entries; i++) {
        int top = 31 - Integer.numberOfLeadingZeros(i);
        int rest = i & ~(1 << top);
        ex[i] = new int[8];
        ey[i] = new int[8];
        ez[i] = new int[8];
        if (rest != 0) {
          Nat256.copy(ex[rest], ex[i]);
          Nat256.copy(ey[rest], ey[i]);
          Nat256.copy(ez[rest], ez[i]);
        }
        a.addAffine(ex[i], ey[i], ez[i], baseX[top], baseY[top]);
        if (Nat256.isZero(ez[i])) {
          return null; // distinct multiples below the order never sum to infinity
        }
      }
      return a.batchToAffine(width, ex, ey, ez);
    }
  }

  /**
   * The table of a key in RFC 6605 form (x then y, 32 bytes each, big-endian), or null if it is
   * not such a key.
   */
  static Table keyTable(byte[] key) {
    if (key.length != 64) {
      return null;
    }
    return Table.of(Nat256.fromBigInteger(new BigInteger(1, Arrays.copyOfRange(key, 0, 32))),
        Nat256.fromBigInteger(new BigInteger(1, Arrays.copyOfRange(key, 32, 64))), WIDTH);
  }

  /**
   * Whether {@code signature} (r then s, 32 bytes each, as RFC 6605 puts them in an RRSIG) is a
   * valid signature by {@code key} of the SHA-256 {@code digest}.
   */
  static boolean verify(Table key, byte[] digest, byte[] signature) {
    if (signature.length != 64 || digest.length != 32) {
      return false;
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    if (r.signum() == 0 || s.signum() == 0 || r.compareTo(N) >= 0 || s.compareTo(N) >= 0) {
      return false;
    }
    BigInteger w = BigIntegers.modOddInverseVar(N, s); // a quarter of BigInteger.modInverse's time
    int[] u1 = Nat256.fromBigInteger(new BigInteger(1, digest).multiply(w).mod(N));
    int[] u2 = Nat256.fromBigInteger(r.multiply(w).mod(N));

    Arithmetic a = new Arithmetic();
    int[] x = new int[8];
    int[] y = new int[8];
    int[] z = new int[8]; // zero: start at infinity
    for (int i = SPACING - 1; i >= 0; i--) {
      a.dbl(x, y, z);
      if (i < G_SPACING) {
        int g = combIndex(u1, i, G);
        if (g != 0) {
          a.addAffine(x, y, z, G.x[g], G.y[g]);
        }
      }
      int q = combIndex(u2, i, key);
      if (q != 0) {
        a.addAffine(x, y, z, key.x[q], key.y[q]);
      }
    }
    if (Nat256.isZero(z)) {
      return false;
    }
    return affineXMatches(a, x, z, r);
  }

  /**
   * Whether the finite Jacobian point with coordinates x and z has an affine x that is r modulo
   * n. No inversion: as the affine x is below p, which is below 2n, it must be r or r + n, and
   * x = r z^2 is checked instead of x / z^2 = r.
   */
  static boolean affineXMatches(int[] x, int[] z, BigInteger r) {
    return affineXMatches(new Arithmetic(), x, z, r);
  }

  private static boolean affineXMatches(Arithmetic a, int[] x, int[] z, BigInteger r) {
    int[] z2 = new int[8];
    int[] candidate = new int[8];
    a.sqr(z, z2);
    a.mul(Nat256.fromBigInteger(r), z2, candidate);
    if (Nat256.eq(candidate, x)) {
      return true;
    }
    BigInteger rPlusN = r.add(N);
    if (rPlusN.compareTo(P_VALUE) >= 0) {
      return false;
    }
    a.mul(Nat256.fromBigInteger(rPlusN), z2, candidate);
    return Nat256.eq(candidate, x);
  }

  /** The index into {@code t} for column {@code column} of its comb: bit j is the scalar's bit column + j * spacing. */
  private static int combIndex(int[] k, int column, Table t) {
    int index = 0;
    for (int j = t.width - 1; j >= 0; j--) {
      int bit = column + j * t.spacing;
      index <<= 1;
      if (bit < 256) {
        index |= (k[bit >>> 5] >>> (bit & 31)) & 1;
      }
    }
    return index;
  }

  /** y^2 = x^3 - 3x + b with both coordinates below p. */
  static boolean onCurve(int[] x, int[] y) {
    if (Nat256.gte(x, P) || Nat256.gte(y, P)) {
      return false;
    }
    Arithmetic a = new Arithmetic();
    int[] lhs = new int[8];
    int[] rhs = new int[8];
    int[] t = new int[8];
    a.sqr(y, lhs);
    a.sqr(x, rhs);
    a.mul(rhs, x, rhs); // x^3
    SecP256R1Field.twice(x, t);
    SecP256R1Field.add(t, x, t); // 3x
    SecP256R1Field.subtract(rhs, t, rhs);
    SecP256R1Field.add(rhs, B, rhs);
    return Nat256.eq(lhs, rhs);
  }

  private static void one(int[] z) {
    Arrays.fill(z, 0);
    z[0] = 1;
  }

  /** Point formulas over scratch space of their own; one instance per thread at a time. */
  private static final class Arithmetic {
    private final int[] ext = new int[16];
    private final int[] t1 = new int[8];
    private final int[] t2 = new int[8];
    private final int[] t3 = new int[8];
    private final int[] t4 = new int[8];
    private final int[] t5 = new int[8];
    private final int[] t6 = new int[8];
    private final int[] t7 = new int[8];

    void mul(int[] a, int[] b, int[] out) {
      Wide256.mul(a, b, ext);
      SecP256R1Field.reduce(ext, out);
    }

    void sqr(int[] a, int[] out) {
      Wide256.square(a, ext);
      SecP256R1Field.reduce(ext, out);
    }

    /** (x, y, z) = 2 (x, y, z); "dbl-2001-b" for a = -3 (3M + 5S). Infinity stays infinity. */
    void dbl(int[] x, int[] y, int[] z) {
      if (Nat256.isZero(z)) {
        return;
      }
      int[] delta = t1;
      int[] gamma = t2;
      int[] beta = t3;
      int[] alpha = t4;
      sqr(z, delta);
      sqr(y, gamma);
      mul(x, gamma, beta);
      SecP256R1Field.subtract(x, delta, t5);
      SecP256R1Field.add(x, delta, t6);
      mul(t5, t6, t5);
      SecP256R1Field.twice(t5, alpha);
      SecP256R1Field.add(alpha, t5, alpha); // 3 (x - delta)(x + delta)
      // z3 = (y + z)^2 - gamma - delta, before y and z are overwritten
      SecP256R1Field.add(y, z, t5);
      sqr(t5, t5);
      SecP256R1Field.subtract(t5, gamma, t5);
      SecP256R1Field.subtract(t5, delta, z);
      // x3 = alpha^2 - 8 beta
      SecP256R1Field.twice(beta, beta);
      SecP256R1Field.twice(beta, beta); // 4 beta
      SecP256R1Field.twice(beta, t6); // 8 beta
      sqr(alpha, t5);
      SecP256R1Field.subtract(t5, t6, x);
      // y3 = alpha (4 beta - x3) - 8 gamma^2
      SecP256R1Field.subtract(beta, x, t5);
      mul(alpha, t5, t5);
      sqr(gamma, t6);
      SecP256R1Field.twice(t6, t6);
      SecP256R1Field.twice(t6, t6);
      SecP256R1Field.twice(t6, t6);
      SecP256R1Field.subtract(t5, t6, y);
    }

    /** (x, y, z) += affine (ax, ay); "madd-2004-hmv" (8M + 3S) with the exceptional cases. */
    void addAffine(int[] x, int[] y, int[] z, int[] ax, int[] ay) {
      if (Nat256.isZero(z)) {
        Nat256.copy(ax, x);
        Nat256.copy(ay, y);
        one(z);
        return;
      }
      int[] z1z1 = t1;
      int[] h = t2;
      int[] r = t3;
      sqr(z, z1z1);
      mul(ax, z1z1, h); // u2
      mul(z, z1z1, r);
      mul(ay, r, r); // s2
      SecP256R1Field.subtract(h, x, h);
      SecP256R1Field.subtract(r, y, r);
      if (Nat256.isZero(h)) {
        if (Nat256.isZero(r)) {
          dbl(x, y, z); // the same point
        } else {
          Arrays.fill(z, 0); // its negation: infinity
        }
        return;
      }
      int[] hh = t4;
      int[] hhh = t5;
      int[] v = t6;
      sqr(h, hh);
      mul(h, hh, hhh);
      mul(x, hh, v);
      mul(z, h, z); // z3 = z1 h
      // x3 = r^2 - hhh - 2 v
      sqr(r, t7);
      SecP256R1Field.subtract(t7, hhh, t7);
      SecP256R1Field.twice(v, t1);
      SecP256R1Field.subtract(t7, t1, x);
      // y3 = r (v - x3) - y1 hhh
      SecP256R1Field.subtract(v, x, t7);
      mul(r, t7, t7);
      mul(y, hhh, t1);
      SecP256R1Field.subtract(t7, t1, y);
    }

    /** Affine coordinates of a finite Jacobian point. */
    void toAffine(int[] x, int[] y, int[] z, int[] ax, int[] ay) {
      SecP256R1Field.inv(z, t1);
      sqr(t1, t2);
      mul(x, t2, ax);
      mul(t2, t1, t2);
      mul(y, t2, ay);
    }

    /** Entries 1.. of finite Jacobian points made affine with one inversion (Montgomery's trick). */
    Table batchToAffine(int width, int[][] x, int[][] y, int[][] z) {
      int n = x.length;
      int[][] prefix = new int[n][];
      prefix[1] = z[1].clone();
      for (int i = 2; i < n; i++) {
        prefix[i] = new int[8];
        mul(prefix[i - 1], z[i], prefix[i]);
      }
      int[] inverse = new int[8];
      SecP256R1Field.inv(prefix[n - 1], inverse); // 1 / (z1 z2 ... z(n-1))
      int[][] ax = new int[n][];
      int[][] ay = new int[n][];
      int[] zInv = new int[8];
      for (int i = n - 1; i >= 1; i--) {
        if (i > 1) {
          mul(inverse, prefix[i - 1], zInv); // 1 / z(i)
          mul(inverse, z[i], inverse); // now 1 / (z1 ... z(i-1))
        } else {
          Nat256.copy(inverse, zInv);
        }
        ax[i] = new int[8];
        ay[i] = new int[8];
        sqr(zInv, t1);
        mul(x[i], t1, ax[i]);
        mul(t1, zInv, t1);
        mul(y[i], t1, ay[i]);
      }
      return new Table(width, ax, ay);
    }
  }
}
