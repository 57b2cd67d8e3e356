package io.dnssecproxy.validation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * {@link RsaVerifier} proves exactly what dnsjava (on BouncyCastle) proves, for every RSA
 * algorithm and the usual key shapes, and leaves everything else to it.
 */
class RsaVerifierTest {

  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  private static final Name ZONE = Name.fromConstantString("example.");
  private static final Name OWNER = Name.fromConstantString("www.example.");
  private static final Map<String, KeyPair> PAIRS = new HashMap<>();

  private final RsaVerifier verifier = new RsaVerifier();

  @Test
  void thisMachineHasHardwareFusedMultiplyAddSoTheFastPathIsExercised() {
    // every x86-64 CPU since 2013 and every ARMv8 has FMA; without it the tests below would fail
    // for the wrong reason (the verifier declining everything), so say so plainly
    assertTrue(RsaModulus.HARDWARE_FMA, "HotSpot reports UseFMA=false on this machine");
  }

  @ParameterizedTest(name = "algorithm {0}, {1} bits, e={2}")
  @CsvSource({"5, 1024, 65537", "7, 1024, 65537", "8, 2048, 65537", "8, 2048, 3", "8, 1032, 65537",
      "10, 2048, 65537", "8, 4096, 65537"})
  void provesWhatDnsjavaProvesAndNotATamperedRrset(int algorithm, int bits, long exponent) throws Exception {
    KeyPair pair = pair(bits, exponent);
    DNSKEYRecord key = key(algorithm, pair);
    RRset good = rrset("192.0.2.1");
    RRSIGRecord sig = sign(good, key, pair);
    assertDoesNotThrow(() -> DNSSEC.verify(good, sig, key, NOW));
    for (int use = 1; use <= 3; use++) {
      assertTrue(proves(good, sig, key), "use " + use);
    }
    RRset tampered = rrset("192.0.2.2");
    assertFalse(proves(tampered, sig, key));
    assertThrows(DNSSEC.DNSSECException.class, () -> DNSSEC.verify(tampered, sig, key, NOW));
  }

  @Test
  void aSignatureThatIsNotANumberBelowTheModulusIsLeftToDnsjava() throws Exception {
    KeyPair pair = pair(1024, 65537);
    DNSKEYRecord key = key(Algorithm.RSASHA256, pair);
    RRset rrset = rrset("192.0.2.1");
    RRSIGRecord sig = sign(rrset, key, pair);
    BigInteger n = ((RSAPublicKey) pair.getPublic()).getModulus();
    byte[] modulus = fixed(n, 128);
    byte[] aboveModulus = fixed(n.add(BigInteger.ONE), 128);
    assertFalse(proves(rrset, withSignature(sig, modulus), key));
    assertFalse(proves(rrset, withSignature(sig, aboveModulus), key));
    // one byte short, and one zero byte too many: the same number, but not the modulus's length
    byte[] good = sig.getSignature();
    assertFalse(proves(rrset, withSignature(sig, Arrays.copyOfRange(good, 1, good.length)), key));
    byte[] padded = new byte[good.length + 1];
    System.arraycopy(good, 0, padded, 1, good.length);
    assertFalse(proves(rrset, withSignature(sig, padded), key));
    assertTrue(proves(rrset, sig, key));
  }

  @Test
  void otherAlgorithmsMismatchedKeysAndMalformedKeysAreLeftToDnsjava() throws Exception {
    KeyPair pair = pair(1024, 65537);
    DNSKEYRecord key = key(Algorithm.RSASHA256, pair);
    RRset rrset = rrset("192.0.2.1");
    RRSIGRecord sig = sign(rrset, key, pair);
    // the key relabelled with another algorithm: the signature's algorithm no longer matches
    DNSKEYRecord relabelled = new DNSKEYRecord(ZONE, DClass.IN, 3600, key.getFlags(), key.getProtocol(),
        Algorithm.RSASHA512, key.getKey());
    assertFalse(proves(rrset, sig, relabelled));
    // the key under another owner than the signer
    DNSKEYRecord elsewhere = new DNSKEYRecord(Name.fromConstantString("other."), DClass.IN, 3600, key.getFlags(),
        key.getProtocol(), Algorithm.RSASHA256, key.getKey());
    assertFalse(proves(rrset, sig, elsewhere));
    for (byte[] material : new byte[][] {{}, {0}, {0, 0}, {3, 1, 0, 1}, {1, 3}, {0, 0, 1, 3, 5}}) {
      DNSKEYRecord broken = new DNSKEYRecord(ZONE, DClass.IN, 3600, key.getFlags(), key.getProtocol(),
          Algorithm.RSASHA256, material);
      assertFalse(proves(rrset, sig, broken), Arrays.toString(material));
    }
    // a modulus with a leading zero byte: a signature's expected length is ambiguous
    byte[] k = key.getKey();
    int at = 1 + (k[0] & 0xFF);
    byte[] zeroLed = new byte[k.length + 1];
    System.arraycopy(k, 0, zeroLed, 0, at);
    System.arraycopy(k, at, zeroLed, at + 1, k.length - at);
    assertFalse(proves(rrset, sig, new DNSKEYRecord(ZONE, DClass.IN, 3600, key.getFlags(), key.getProtocol(),
        Algorithm.RSASHA256, zeroLed)));
  }

  @Test
  void aSignatureByAnotherKeyOfTheSameSizeIsNotProven() throws Exception {
    KeyPair signer = pair(1024, 65537);
    KeyPair other = freshPair(1024);
    DNSKEYRecord signerKey = key(Algorithm.RSASHA256, signer);
    RRset rrset = rrset("192.0.2.1");
    RRSIGRecord sig = sign(rrset, signerKey, signer);
    DNSKEYRecord otherKey = key(Algorithm.RSASHA256, other);
    RRSIGRecord claimed = new RRSIGRecord(OWNER, DClass.IN, 300, sig.getTypeCovered(), sig.getAlgorithm(), 300,
        sig.getExpire(), sig.getTimeSigned(), otherKey.getFootprint(), ZONE, sig.getSignature());
    assertFalse(proves(rrset, claimed, otherKey));
  }

  /** What SignatureVerifier asks: the signed data as dnsjava lays it out for this signature. */
  private boolean proves(RRset rrset, RRSIGRecord sig, DNSKEYRecord key) {
    return verifier.proves(DNSSEC.digestRRset(sig, rrset), sig, key);
  }

  private static byte[] fixed(BigInteger v, int length) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[length];
    int copy = Math.min(b.length, length);
    System.arraycopy(b, b.length - copy, out, length - copy, copy);
    return out;
  }

  private static RRSIGRecord withSignature(RRSIGRecord sig, byte[] signature) {
    return new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(), sig.getAlgorithm(),
        sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(), sig.getSigner(), signature);
  }

  private static synchronized KeyPair pair(int bits, long exponent) throws Exception {
    String id = bits + "/" + exponent;
    KeyPair pair = PAIRS.get(id);
    if (pair == null) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(new RSAKeyGenParameterSpec(bits, BigInteger.valueOf(exponent)));
      pair = generator.generateKeyPair();
      PAIRS.put(id, pair);
    }
    return pair;
  }

  private static KeyPair freshPair(int bits) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(bits);
    return generator.generateKeyPair();
  }

  private static DNSKEYRecord key(int algorithm, KeyPair pair) throws Exception {
    return new DNSKEYRecord(ZONE, DClass.IN, 3600, DNSKEYRecord.Flags.ZONE_KEY, DNSKEYRecord.Protocol.DNSSEC,
        algorithm, pair.getPublic());
  }

  private static RRSIGRecord sign(RRset rrset, DNSKEYRecord key, KeyPair pair) throws Exception {
    return DNSSEC.sign(rrset, key, pair.getPrivate(), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
  }

  private static RRset rrset(String address) throws Exception {
    return new RRset(new ARecord(OWNER, DClass.IN, 300, InetAddress.getByName(address)));
  }
}
