package io.dnssecproxy.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * Signature checks through {@link SignatureVerifier}, where ECDSA P-256 goes through dnsjava on
 * a key's first use and through the precomputed-table verifier after, and RSA through
 * {@link RsaVerifier} with dnsjava deciding what it does not prove: the verdicts must not
 * change, use after use. A signature proven once is not verified again ({@link ProvenSignatures}).
 */
class SignatureVerifierTest {

  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  private final Name zone = Name.fromConstantString("example.");
  private final Name owner = Name.fromConstantString("www.example.");

  @ParameterizedTest(name = "algorithm {0}")
  @ValueSource(ints = {DNSSEC.Algorithm.ECDSAP256SHA256, DNSSEC.Algorithm.RSASHA256, DNSSEC.Algorithm.ED25519})
  void aSignatureVerifiesOnEveryUseOfTheKeyAndATamperedRrsetFailsWithTheUsualReason(int algorithm) throws Exception {
    KeyPair pair = keyPair(algorithm);
    DNSKEYRecord key = key(algorithm, pair);
    SignatureVerifier verifier = new SignatureVerifier(AlgorithmPolicy.defaults(), Duration.ofMinutes(5));

    // a new signature each time, so that every use reaches the crypto (a P-256 key gets its
    // table on the second)
    for (int use = 1; use <= 4; use++) {
      RRset signed = rrset("192.0.2." + use);
      RRSIGRecord sig = sign(signed, key, pair);
      signed.addRR(sig);
      RRset tampered = rrset("198.51.100." + use);
      tampered.addRR(sig);
      WorkBudget budget = budget();
      SignatureVerifier.Result good = verifier.verify(signed, zone, List.of(key), NOW, budget);
      assertTrue(good.secure(), "use " + use + ": " + good.verdict());
      assertEquals(1, budget.signaturesUsed(), "use " + use);
      SignatureVerifier.Result bad = verify(verifier, tampered, key);
      assertFalse(bad.secure(), "use " + use);
      assertEquals(Ede.DNSSEC_BOGUS, bad.verdict().ede(), "use " + use);
      assertTrue(bad.verdict().reasonText().contains("does not verify"), bad.verdict().reasonText());
    }
  }

  @Test
  void aSignatureProvenOnceIsNotVerifiedAgainButAFailureIsAndAnotherKeyOrDataIsNotTakenForIt() throws Exception {
    KeyPair pair = keyPair(DNSSEC.Algorithm.ECDSAP256SHA256);
    DNSKEYRecord key = key(DNSSEC.Algorithm.ECDSAP256SHA256, pair);
    RRset signed = rrset("192.0.2.1");
    RRSIGRecord sig = sign(signed, key, pair);
    signed.addRR(sig);
    SignatureVerifier verifier = new SignatureVerifier(AlgorithmPolicy.defaults(), Duration.ofMinutes(5));

    WorkBudget first = budget();
    assertTrue(verifier.verify(signed, zone, List.of(key), NOW, first).secure());
    assertEquals(1, first.signaturesUsed());
    // the same RRset and RRSIG again (a refetch, or another response carrying it): no crypto
    WorkBudget again = budget();
    RRset refetched = rrset("192.0.2.1");
    refetched.addRR(sig);
    assertTrue(verifier.verify(refetched, zone, List.of(key), NOW, again).secure());
    assertEquals(0, again.signaturesUsed());

    // other data under the proven signature: verified, and bogus, every time
    for (int use = 1; use <= 2; use++) {
      RRset tampered = rrset("192.0.2.2");
      tampered.addRR(sig);
      WorkBudget budget = budget();
      assertFalse(verifier.verify(tampered, zone, List.of(key), NOW, budget).secure(), "use " + use);
      assertEquals(1, budget.signaturesUsed(), "use " + use);
    }
    // the proven signature offered with another key of the same tag and algorithm: verified, bogus
    KeyPair otherPair = keyPair(DNSSEC.Algorithm.ECDSAP256SHA256);
    DNSKEYRecord other = key(DNSSEC.Algorithm.ECDSAP256SHA256, otherPair);
    RRSIGRecord retagged = new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(),
        sig.getAlgorithm(), sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), other.getFootprint(), zone,
        sig.getSignature());
    RRset underOther = rrset("192.0.2.1");
    underOther.addRR(retagged);
    WorkBudget budget = budget();
    assertFalse(verifier.verify(underOther, zone, List.of(other), NOW, budget).secure());
    assertEquals(1, budget.signaturesUsed());
    // and the window is still checked on a proven signature: past its expiry it is expired
    SignatureVerifier.Result late = verifier.verify(refetched, zone, List.of(key), NOW.plus(Duration.ofDays(2)), budget());
    assertEquals(Ede.SIGNATURE_EXPIRED, late.verdict().ede());
  }

  @Test
  void anRrsetSignedTwiceIsProvenByTheCheaperSignatureWhicheverComesFirst() throws Exception {
    KeyPair p384 = keyPair(DNSSEC.Algorithm.ECDSAP384SHA384);
    KeyPair p256 = keyPair(DNSSEC.Algorithm.ECDSAP256SHA256);
    DNSKEYRecord expensive = key(DNSSEC.Algorithm.ECDSAP384SHA384, p384);
    DNSKEYRecord cheap = key(DNSSEC.Algorithm.ECDSAP256SHA256, p256);
    RRset rrset = rrset("192.0.2.1");
    RRSIGRecord bySlow = sign(rrset, expensive, p384);
    RRSIGRecord byFast = sign(rrset, cheap, p256);
    rrset.addRR(bySlow); // listed first
    rrset.addRR(byFast);
    SignatureVerifier verifier = new SignatureVerifier(AlgorithmPolicy.defaults(), Duration.ofMinutes(5), 0);

    WorkBudget budget = budget();
    SignatureVerifier.Result result = verifier.verify(rrset, zone, List.of(expensive, cheap), NOW, budget);
    assertTrue(result.secure(), result.verdict().toString());
    assertEquals(byFast, result.signature());
    assertEquals(1, budget.signaturesUsed());
    // the order of the list itself is left alone, and a lone signature is not copied
    assertEquals(List.of(bySlow, byFast), rrset.sigs());
    assertEquals(List.of(byFast, bySlow), SignatureVerifier.cheapestFirst(rrset.sigs()));
    List<RRSIGRecord> one = List.of(bySlow);
    assertSame(one, SignatureVerifier.cheapestFirst(one));
  }

  private DNSKEYRecord key(int algorithm, KeyPair pair) throws Exception {
    return new DNSKEYRecord(zone, DClass.IN, 3600, DNSKEYRecord.Flags.ZONE_KEY, DNSKEYRecord.Protocol.DNSSEC,
        algorithm, pair.getPublic());
  }

  private static RRSIGRecord sign(RRset rrset, DNSKEYRecord key, KeyPair pair) throws Exception {
    return DNSSEC.sign(rrset, key, pair.getPrivate(), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
  }

  private static WorkBudget budget() {
    return new WorkBudget(WorkBudget.Limits.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static KeyPair keyPair(int algorithm) throws Exception {
    switch (algorithm) {
      case DNSSEC.Algorithm.ECDSAP256SHA256: {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
      }
      case DNSSEC.Algorithm.ECDSAP384SHA384: {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        return generator.generateKeyPair();
      }
      case DNSSEC.Algorithm.RSASHA256: {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
      }
      default:
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }
  }

  private SignatureVerifier.Result verify(SignatureVerifier verifier, RRset rrset, DNSKEYRecord key) {
    return verifier.verify(rrset, zone, List.of(key), NOW, budget());
  }

  private RRset rrset(String address) throws Exception {
    return new RRset(new ARecord(owner, DClass.IN, 300, InetAddress.getByName(address)));
  }
}
