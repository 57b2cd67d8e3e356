package io.dnssecproxy.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.junit.jupiter.api.Test;

/**
 * The allocation-free P-256 verifier against the JDK's signer and BouncyCastle's verifier: every
 * real signature verifies, every altered one fails, and keys chosen to hit the formulas'
 * exceptional cases (the generator itself, its negation) verify like any other.
 */
class EcdsaP256Test {

  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
  private final Random random = new Random(20261122L);

  @Test
  void signaturesOfRandomKeysVerifyAndAlteredOnesDoNot() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    for (int k = 0; k < 12; k++) {
      KeyPair pair = generator.generateKeyPair();
      EcdsaP256.Table table = EcdsaP256.keyTable(raw((ECPublicKey) pair.getPublic()));
      assertNotNull(table);
      for (int m = 0; m < 8; m++) {
        byte[] message = new byte[1 + random.nextInt(300)];
        random.nextBytes(message);
        byte[] signature = sign(pair.getPrivate(), message);
        byte[] digest = sha256(message);
        assertTrue(EcdsaP256.verify(table, digest, signature), "key " + k + " message " + m);
        assertTrue(bouncyCastleVerifies(pair, message, signature), "the oracle agrees on the valid one");

        byte[] otherDigest = digest.clone();
        otherDigest[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
        assertFalse(EcdsaP256.verify(table, otherDigest, signature));
        byte[] otherSignature = signature.clone();
        otherSignature[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
        assertFalse(EcdsaP256.verify(table, digest, otherSignature));
        assertEquals(bouncyCastleVerifies(pair, message, otherSignature), false);
      }
    }
  }

  @Test
  void aSignatureDoesNotVerifyUnderAnotherKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair signer = generator.generateKeyPair();
    KeyPair other = generator.generateKeyPair();
    byte[] message = "www.example. A 192.0.2.1".getBytes();
    byte[] signature = sign(signer.getPrivate(), message);

    assertTrue(EcdsaP256.verify(EcdsaP256.keyTable(raw((ECPublicKey) signer.getPublic())), sha256(message), signature));
    assertFalse(EcdsaP256.verify(EcdsaP256.keyTable(raw((ECPublicKey) other.getPublic())), sha256(message), signature));
  }

  @Test
  void keysThatMakeTheTwoCombsMeetStillVerify() throws Exception {
    // Private key 1 makes the key the generator, so the same points meet in one addition
    // (the doubling case); n - 1 makes it the generator's negation (the infinity case); small
    // keys make many comb columns of the two scalars coincide; 2^SPACING and 2^G_SPACING put the
    // key one tooth along the key's comb or the (wider) generator's comb.
    BigInteger n = EcdsaP256.N;
    for (BigInteger d : new BigInteger[] {BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(3), n.subtract(BigInteger.ONE),
        n.subtract(BigInteger.TWO), BigInteger.ONE.shiftLeft(EcdsaP256.SPACING), BigInteger.ONE.shiftLeft(EcdsaP256.G_SPACING),
        BigInteger.ONE.shiftLeft(EcdsaP256.G_SPACING).negate().mod(n), BigInteger.ONE.shiftLeft(255)}) {
      KeyPair pair = pairFor(d);
      EcdsaP256.Table table = EcdsaP256.keyTable(raw((ECPublicKey) pair.getPublic()));
      for (int m = 0; m < 20; m++) {
        byte[] message = new byte[40];
        random.nextBytes(message);
        byte[] signature = sign(pair.getPrivate(), message);
        assertTrue(EcdsaP256.verify(table, sha256(message), signature), "d=" + d.toString(16) + " message " + m);
        byte[] otherSignature = signature.clone();
        otherSignature[63] ^= 1;
        assertFalse(EcdsaP256.verify(table, sha256(message), otherSignature), "d=" + d.toString(16));
      }
    }
  }

  @Test
  void outOfRangeSignatureValuesAreRejected() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    EcdsaP256.Table table = EcdsaP256.keyTable(raw((ECPublicKey) pair.getPublic()));
    byte[] message = "m".getBytes();
    byte[] valid = sign(pair.getPrivate(), message);
    byte[] digest = sha256(message);
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(valid, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(valid, 32, 64));
    BigInteger n = EcdsaP256.N;

    assertFalse(EcdsaP256.verify(table, digest, rs(BigInteger.ZERO, s)));
    assertFalse(EcdsaP256.verify(table, digest, rs(r, BigInteger.ZERO)));
    assertFalse(EcdsaP256.verify(table, digest, rs(r.add(n), s)), "r + n fits in 32 bytes when r is small enough");
    assertFalse(EcdsaP256.verify(table, digest, rs(r, s.add(n).mod(BigInteger.ONE.shiftLeft(256)))));
    // ECDSA is malleable: (r, n - s) verifies as well, for BouncyCastle as for any verifier.
    assertTrue(EcdsaP256.verify(table, digest, rs(r, n.subtract(s))));
    assertTrue(bouncyCastleVerifies(pair, message, rs(r, n.subtract(s))));
    assertFalse(EcdsaP256.verify(table, digest, Arrays.copyOf(valid, 63)));
    assertTrue(EcdsaP256.verify(table, digest, rs(r, s)));
  }

  @Test
  void anAffineXAtOrAboveTheOrderMatchesTheRThatIsItMinusTheOrder() {
    // Such an x (between n and p) has a chance of about 2^-128 per signature, so the final
    // comparison is checked on its own, with made-up Jacobian coordinates.
    BigInteger p = new BigInteger("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF", 16);
    BigInteger n = EcdsaP256.N;
    BigInteger z = new BigInteger(250, random).add(BigInteger.ONE);
    BigInteger z2 = z.multiply(z).mod(p);
    BigInteger r = new BigInteger(100, random); // small enough that r + n < p
    int[] zLimbs = org.bouncycastle.math.raw.Nat256.fromBigInteger(z);

    assertTrue(EcdsaP256.affineXMatches(limbs(r.add(n).multiply(z2).mod(p)), zLimbs, r), "affine x = r + n");
    assertTrue(EcdsaP256.affineXMatches(limbs(r.multiply(z2).mod(p)), zLimbs, r), "affine x = r");
    assertFalse(EcdsaP256.affineXMatches(limbs(r.add(BigInteger.ONE).multiply(z2).mod(p)), zLimbs, r));
    BigInteger bigR = n.subtract(BigInteger.ONE); // r + n is above p: only x = r can match
    assertFalse(EcdsaP256.affineXMatches(limbs(bigR.add(n).subtract(p).multiply(z2).mod(p)), zLimbs, bigR));
  }

  private static int[] limbs(BigInteger v) {
    return org.bouncycastle.math.raw.Nat256.fromBigInteger(v);
  }

  @Test
  void keysOffTheCurveOrOfTheWrongLengthGetNoTable() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    byte[] key = raw((ECPublicKey) generator.generateKeyPair().getPublic());
    assertNotNull(EcdsaP256.keyTable(key));

    byte[] offCurve = key.clone();
    offCurve[63] ^= 1;
    assertNull(EcdsaP256.keyTable(offCurve));
    assertNull(EcdsaP256.keyTable(Arrays.copyOf(key, 63)));
    assertNull(EcdsaP256.keyTable(new byte[64]), "(0, 0) is not a curve point");
    byte[] tooLarge = new byte[64];
    Arrays.fill(tooLarge, (byte) 0xff); // coordinates above p
    assertNull(EcdsaP256.keyTable(tooLarge));
  }

  private static byte[] rs(BigInteger r, BigInteger s) {
    byte[] out = new byte[64];
    put(r, out, 0);
    put(s, out, 32);
    return out;
  }

  private static void put(BigInteger v, byte[] out, int offset) {
    byte[] b = v.toByteArray();
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, offset + 32 - len, len);
  }

  private static KeyPair pairFor(BigInteger d) throws Exception {
    ECParameterSpec spec = ((ECPublicKey) keyGen().generateKeyPair().getPublic()).getParams();
    org.bouncycastle.math.ec.ECPoint q = CURVE.getG().multiply(d).normalize();
    KeyFactory factory = KeyFactory.getInstance("EC");
    ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    return new KeyPair(factory.generatePublic(new ECPublicKeySpec(w, spec)), factory.generatePrivate(new ECPrivateKeySpec(d, spec)));
  }

  private static KeyPairGenerator keyGen() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator;
  }

  /** The RFC 6605 DNSKEY form: x then y, 32 bytes each. */
  private static byte[] raw(ECPublicKey key) {
    byte[] out = new byte[64];
    put(key.getW().getAffineX(), out, 0);
    put(key.getW().getAffineY(), out, 32);
    return out;
  }

  /** A JDK (SunEC) signature, turned from DER into the RRSIG form r || s. */
  private static byte[] sign(PrivateKey key, byte[] message) throws Exception {
    Signature signer = Signature.getInstance("SHA256withECDSA", "SunEC");
    signer.initSign(key);
    signer.update(message);
    ASN1Sequence der = ASN1Sequence.getInstance(signer.sign());
    return rs(ASN1Integer.getInstance(der.getObjectAt(0)).getValue(), ASN1Integer.getInstance(der.getObjectAt(1)).getValue());
  }

  private static boolean bouncyCastleVerifies(KeyPair pair, byte[] message, byte[] rs) throws Exception {
    Signature verifier = Signature.getInstance("SHA256withECDSA", new org.bouncycastle.jce.provider.BouncyCastleProvider());
    verifier.initVerify(pair.getPublic());
    verifier.update(message);
    byte[] der = new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
        new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(rs, 0, 32))),
        new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(rs, 32, 64)))}).getEncoded();
    return verifier.verify(der);
  }

  private static byte[] sha256(byte[] message) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(message);
  }
}
