package io.dnssecproxy.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * change, use after use.
 */
class SignatureVerifierTest {

  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  private final Name zone = Name.fromConstantString("example.");
  private final Name owner = Name.fromConstantString("www.example.");

  @ParameterizedTest(name = "algorithm {0}")
  @ValueSource(ints = {DNSSEC.Algorithm.ECDSAP256SHA256, DNSSEC.Algorithm.RSASHA256, DNSSEC.Algorithm.ED25519})
  void aSignatureVerifiesOnEveryUseAndATamperedRrsetFailsWithTheUsualReason(int algorithm) throws Exception {
    KeyPair pair = keyPair(algorithm);
    DNSKEYRecord key = new DNSKEYRecord(zone, DClass.IN, 3600, DNSKEYRecord.Flags.ZONE_KEY, DNSKEYRecord.Protocol.DNSSEC,
        algorithm, pair.getPublic());
    RRset signed = rrset("192.0.2.1");
    RRSIGRecord sig = DNSSEC.sign(signed, key, pair.getPrivate(), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
    signed.addRR(sig);
    RRset tampered = rrset("192.0.2.2");
    tampered.addRR(sig);
    SignatureVerifier verifier = new SignatureVerifier(AlgorithmPolicy.defaults(), Duration.ofMinutes(5));

    for (int use = 1; use <= 4; use++) {
      SignatureVerifier.Result good = verify(verifier, signed, key);
      assertTrue(good.secure(), "use " + use + ": " + good.verdict());
      SignatureVerifier.Result bad = verify(verifier, tampered, key);
      assertFalse(bad.secure(), "use " + use);
      assertEquals(Ede.DNSSEC_BOGUS, bad.verdict().ede(), "use " + use);
      assertTrue(bad.verdict().reasonText().contains("does not verify"), bad.verdict().reasonText());
    }
  }

  private static KeyPair keyPair(int algorithm) throws Exception {
    switch (algorithm) {
      case DNSSEC.Algorithm.ECDSAP256SHA256: {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
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
    return verifier.verify(rrset, zone, List.of(key), NOW,
        new WorkBudget(WorkBudget.Limits.defaults(), Clock.fixed(NOW, ZoneOffset.UTC)));
  }

  private RRset rrset(String address) throws Exception {
    return new RRset(new ARecord(owner, DClass.IN, 300, InetAddress.getByName(address)));
  }
}
