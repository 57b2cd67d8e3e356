package io.dnssecproxy.lab;

import static io.dnssecproxy.lab.LabWorld.*;
import static io.dnssecproxy.lab.SignatureAssertions.assertVerifies;
import static io.dnssecproxy.lab.SignatureAssertions.verificationFailure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The shared world is signed correctly where it should be, and broken exactly where meant. */
class LabWorldSignaturesTest {

  private final LabWorld world = LabWorld.get();

  @Test
  void everySignedRRsetOfTheGoodZonesVerifiesAtNow() {
    for (Name apex : GOOD_ZONES) {
      LabZone zone = world.zone(apex);
      List<DNSKEYRecord> keys = zone.dnskeys();
      assertEquals(2, keys.size(), apex::toString);
      int signed = 0;
      for (RRset rrset : zone.rrsets()) {
        if (zone.isAuthoritativeFor(rrset)) {
          assertVerifies(rrset, keys, NOW);
          signed++;
        } else {
          assertTrue(rrset.sigs().isEmpty(), () -> "delegation data must be unsigned: " + rrset);
        }
      }
      int count = signed;
      assertTrue(count >= 4, () -> apex + " signed only " + count + " RRsets");
    }
  }

  @Test
  void dnskeySetIsSignedByTheKskAndOtherDataByTheZsk() {
    for (Name apex : GOOD_ZONES) {
      LabZone zone = world.zone(apex);
      assertEquals(257, zone.ksk().dnskey().getFlags());
      assertEquals(256, zone.zsk().dnskey().getFlags());
      assertEquals(Set.of(zone.ksk().keyTag()), signerTags(zone.rrset(apex, Type.DNSKEY)));
      assertEquals(Set.of(zone.zsk().keyTag()), signerTags(zone.rrset(apex, Type.SOA)));
    }
  }

  @Test
  void algorithmsAreTheDocumentedOnes() {
    assertEquals(DNSSEC.Algorithm.RSASHA256, world.zone(ROOT).signing().algorithm());
    assertEquals(DNSSEC.Algorithm.ECDSAP256SHA256, world.zone(SECURE).signing().algorithm());
    assertEquals(DNSSEC.Algorithm.RSASHA256, world.zone(NSEC3).signing().algorithm());
    assertEquals(DNSSEC.Algorithm.ED25519, world.zone(ED).signing().algorithm());
    assertEquals(2048, ((java.security.interfaces.RSAPublicKey) publicKey(ROOT)).getModulus()
        .bitLength());
    assertEquals(200, world.zone(HIGHITER).signing().nsec3().iterations());
    assertTrue(world.zone(OPTOUT).signing().nsec3().optOut());
  }

  @Test
  void everySecureDelegationHasADsMatchingTheChildKsk() {
    for (Name apex : GOOD_ZONES) {
      if (apex.equals(ROOT)) {
        continue;
      }
      RRset ds = parentOf(apex).rrset(apex, Type.DS);
      assertNotNull(ds, () -> "no DS for " + apex);
      assertVerifies(ds, parentOf(apex).dnskeys(), NOW);
      DSRecord expected = world.zone(apex).dsRecords().get(0);
      DSRecord published = (DSRecord) ds.first();
      assertEquals(world.zone(apex).ksk().keyTag(), published.getFootprint());
      assertArrayEquals(expected.getDigest(), published.getDigest());
    }
  }

  @Test
  void insecureDelegationsHaveNoDsAndUnsignedChildren() {
    for (Name apex : UNSIGNED_ZONES) {
      assertNull(parentOf(apex).rrset(apex, Type.DS), apex::toString);
      assertNotNull(parentOf(apex).rrset(apex, Type.NS), apex::toString);
      for (RRset rrset : world.zone(apex).rrsets()) {
        assertTrue(rrset.sigs().isEmpty(), rrset::toString);
        assertFalse(rrset.getType() == Type.NSEC || rrset.getType() == Type.NSEC3);
      }
    }
    NSECRecord proof = (NSECRecord) world.zone(TEST).rrset(INSECURE, Type.NSEC).first();
    assertTrue(proof.hasType(Type.NS));
    assertFalse(proof.hasType(Type.DS));
  }

  @Test
  void trustAnchorIsTheRootKskDs() throws Exception {
    String text = world.trustAnchorText();
    assertEquals(text, Files.readString(world.trustAnchorFile()));
    Record parsed = new Master(new java.io.ByteArrayInputStream(text.getBytes())).nextRecord();
    DSRecord ds = assertInstanceOf(DSRecord.class, parsed);
    assertEquals(Name.root, ds.getName());
    assertEquals(world.zone(ROOT).ksk().keyTag(), ds.getFootprint());
    assertArrayEquals(
        new DSRecord(Name.root, 1, 0, DSRecord.SHA256_DIGEST_ID, world.zone(ROOT).ksk().dnskey())
            .getDigest(),
        ds.getDigest());
  }

  @Test
  void expiredZoneHasAnExpiredSignatureOnWwwOnly() {
    LabZone zone = world.zone(EXPIRED);
    assertInstanceOf(DNSSEC.SignatureExpiredException.class,
        verificationFailure(zone.rrset(EXPIRED_WWW, Type.A), zone.dnskeys(), NOW));
    // Still a genuine signature: valid inside its own (past) window.
    assertNull(verificationFailure(zone.rrset(EXPIRED_WWW, Type.A), zone.dnskeys(),
        NOW.minus(java.time.Duration.ofDays(2))));
    assertVerifies(zone.rrset(EXPIRED, Type.SOA), zone.dnskeys(), NOW);
  }

  @Test
  void notYetZoneHasAFutureSignatureOnWww() {
    LabZone zone = world.zone(NOTYET);
    assertInstanceOf(DNSSEC.SignatureNotYetValidException.class,
        verificationFailure(zone.rrset(NOTYET_WWW, Type.A), zone.dnskeys(), NOW));
    assertNull(verificationFailure(zone.rrset(NOTYET_WWW, Type.A), zone.dnskeys(),
        NOW.plus(java.time.Duration.ofDays(2))));
  }

  @Test
  void badsigZoneHasACorruptSignatureInsideItsWindow() {
    LabZone zone = world.zone(BADSIG);
    RRset www = zone.rrset(BADSIG_WWW, Type.A);
    RRSIGRecord sig = www.sigs().get(0);
    assertTrue(sig.getTimeSigned().isBefore(NOW) && sig.getExpire().isAfter(NOW));
    assertInstanceOf(DNSSEC.SignatureVerificationException.class,
        verificationFailure(www, zone.dnskeys(), NOW));
  }

  @Test
  void nosigZoneServesWwwWithoutSignature() {
    LabZone zone = world.zone(NOSIG);
    RRset www = zone.rrset(NOSIG_WWW, Type.A);
    assertEquals(1, www.size());
    assertTrue(www.sigs().isEmpty());
    assertVerifies(zone.rrset(NOSIG, Type.SOA), zone.dnskeys(), NOW);
  }

  @Test
  void badkskZoneSignsDnskeyOnlyWithTheZsk() {
    LabZone zone = world.zone(BADKSK);
    RRset keys = zone.rrset(BADKSK, Type.DNSKEY);
    assertEquals(Set.of(zone.zsk().keyTag()), signerTags(keys));
    assertVerifies(keys, zone.dnskeys(), NOW);
    DSRecord ds = (DSRecord) world.zone(TEST).rrset(BADKSK, Type.DS).first();
    assertEquals(zone.ksk().keyTag(), ds.getFootprint());
  }

  @Test
  void nodsZoneParentDsMatchesNoChildKey() {
    RRset ds = world.zone(TEST).rrset(NODS, Type.DS);
    assertVerifies(ds, world.zone(TEST).dnskeys(), NOW);
    DSRecord published = (DSRecord) ds.first();
    for (DNSKEYRecord key : world.zone(NODS).dnskeys()) {
      byte[] digest = new DSRecord(NODS, 1, 0, published.getDigestID(), key).getDigest();
      assertFalse(java.util.Arrays.equals(digest, published.getDigest()), key::toString);
    }
  }

  @Test
  void forgedZoneDeniesWithoutProof() {
    ZoneAnswer forged = world.zone(FORGED).lookup(FORGED_NX, Type.A);
    assertEquals(Rcode.NXDOMAIN, forged.rcode());
    assertEquals(List.of(Type.SOA), types(forged.authority()));
    ZoneAnswer honest = world.zone(SECURE).lookup(SECURE_NX, Type.A);
    assertTrue(types(honest.authority()).contains(Type.NSEC));
    // The zone itself still has its chain; only answers omit it.
    assertNotNull(world.zone(FORGED).rrset(FORGED, Type.NSEC));
  }

  @Test
  void nsec3ZonesUseTheirParameters() {
    NSEC3Record apexProof = null;
    for (RRset rrset : world.zone(HIGHITER).rrsets()) {
      if (rrset.getType() == Type.NSEC3) {
        apexProof = (NSEC3Record) rrset.first();
      }
    }
    assertNotNull(apexProof);
    assertEquals(200, apexProof.getIterations());
    assertEquals("aabbccdd", java.util.HexFormat.of().formatHex(apexProof.getSalt()));
  }

  private LabZone parentOf(Name apex) {
    // Every zone in the world is delegated from the zone one label up.
    return world.zone(new Name(apex, 1));
  }

  private java.security.PublicKey publicKey(Name apex) {
    try {
      return world.zone(apex).ksk().dnskey().getPublicKey();
    } catch (DNSSEC.DNSSECException e) {
      throw new AssertionError(e);
    }
  }

  private static Set<Integer> signerTags(RRset rrset) {
    return rrset.sigs().stream().map(RRSIGRecord::getFootprint).collect(Collectors.toSet());
  }

  private static List<Integer> types(List<RRset> rrsets) {
    return rrsets.stream().map(RRset::getType).collect(Collectors.toList());
  }
}
