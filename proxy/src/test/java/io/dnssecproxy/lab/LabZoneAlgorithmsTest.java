package io.dnssecproxy.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/** Every supported algorithm signs a zone whose signatures dnsjava verifies. */
class LabZoneAlgorithmsTest {

  private static final Instant NOW = LabWorld.NOW;

  @ParameterizedTest(name = "algorithm {0}")
  @ValueSource(ints = {DNSSEC.Algorithm.RSASHA1, DNSSEC.Algorithm.RSASHA256,
      DNSSEC.Algorithm.ECDSAP256SHA256, DNSSEC.Algorithm.ED25519})
  void zoneSignedWithAlgorithmVerifies(int algorithm) {
    LabZone zone = LabZone.builder("alg.example.")
        .signing(SigningConfig.nsec(algorithm, NOW.minusSeconds(60), NOW.plusSeconds(60))
            .withKeyIndex(950))
        .a("www", "198.51.100.1")
        .build();
    assertEquals(algorithm, zone.ksk().dnskey().getAlgorithm());
    int signed = 0;
    for (RRset rrset : zone.rrsets()) {
      SignatureAssertions.assertVerifies(rrset, zone.dnskeys(), NOW);
      assertTrue(rrset.sigs().stream().allMatch(s -> s.getAlgorithm() == algorithm));
      signed++;
    }
    assertTrue(signed >= 5, "SOA, NS, DNSKEY, A and NSEC at least");
  }

  @Test
  void keysAreCachedPerSlotAndDistinctAcrossIndexes() {
    var a = LabKeys.keyPair(DNSSEC.Algorithm.ECDSAP256SHA256, KeyRole.ZSK, 960);
    var b = LabKeys.keyPair(DNSSEC.Algorithm.ECDSAP256SHA256, KeyRole.ZSK, 960);
    var c = LabKeys.keyPair(DNSSEC.Algorithm.ECDSAP256SHA256, KeyRole.ZSK, 961);
    var d = LabKeys.keyPair(DNSSEC.Algorithm.ECDSAP256SHA256, KeyRole.KSK, 960);
    assertTrue(a == b);
    assertTrue(a != c && !a.getPublic().equals(c.getPublic()));
    assertTrue(!a.getPublic().equals(d.getPublic()));
  }

  @Test
  void explicitDelegationPublishesGivenDsAndGlue() {
    DSRecord ds = new DSRecord(Name.fromConstantString("kid.p.example."), 1, 3600, 12345,
        DNSSEC.Algorithm.ECDSAP256SHA256, DSRecord.SHA256_DIGEST_ID, new byte[32]);
    LabZone parent = LabZone.builder("p.example.")
        .signing(SigningConfig.nsec(DNSSEC.Algorithm.ECDSAP256SHA256, NOW.minusSeconds(60),
            NOW.plusSeconds(60)).withKeyIndex(952))
        .delegate("kid", "ns.kid", "198.51.100.53", List.of(ds))
        .delegate("bare", "ns.elsewhere.example.", null, List.of())
        .build();
    Name kid = Name.fromConstantString("kid.p.example.");
    assertEquals(ds, parent.rrset(kid, Type.DS).first());
    SignatureAssertions.assertVerifies(parent.rrset(kid, Type.DS), parent.dnskeys(), NOW);
    assertTrue(parent.rrset(Name.fromConstantString("ns.kid.p.example."), Type.A).sigs()
        .isEmpty());
    assertNull(parent.rrset(Name.fromConstantString("bare.p.example."), Type.DS));
  }

  @Test
  void mutationsNeedASignedZone() {
    assertThrows(IllegalStateException.class, () -> LabZone.builder("u.example.")
        .mutate(ZoneMutations.omitDenialProofs()).build());
  }
}
