package io.dnssecproxy.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.lab.KeyRole;
import io.dnssecproxy.lab.LabKeys;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/** Trust anchors against the anchor zone's key set: the signs of a key rollover an operator must follow. */
class AnchorKeyWatchTest {

  private static final Name ZONE = Name.root;
  private static final int KSK = DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY;
  private static final int REVOKED_KSK = KSK | 0x0080;

  private static DNSKEYRecord key(int flags, int index) throws Exception {
    return new DNSKEYRecord(ZONE, DClass.IN, 3600, flags, DNSKEYRecord.Protocol.DNSSEC, DNSSEC.Algorithm.ECDSAP256SHA256,
        LabKeys.keyPair(DNSSEC.Algorithm.ECDSAP256SHA256, KeyRole.KSK, 900 + index).getPublic());
  }

  private static DSRecord ds(DNSKEYRecord key) {
    return new DSRecord(ZONE, DClass.IN, 3600, DSRecord.Digest.SHA256, key);
  }

  private static TrustAnchors.Anchor dsAnchor(DSRecord... ds) {
    return new TrustAnchors.Anchor(ZONE, List.of(ds), List.of());
  }

  @Test
  void anchoredKskAndAZoneSigningKeyAreClean() throws Exception {
    DNSKEYRecord ksk = key(KSK, 1);
    DNSKEYRecord zsk = key(DNSKEYRecord.Flags.ZONE_KEY, 2);
    AnchorKeyWatch.Observation seen = AnchorKeyWatch.compare(dsAnchor(ds(ksk)), List.of(ksk, zsk));
    assertTrue(seen.clean(), seen::toString);
  }

  @Test
  void aPublishedKskNoAnchorMatchesIsReportedByItsTag() throws Exception {
    DNSKEYRecord current = key(KSK, 1);
    DNSKEYRecord next = key(KSK, 3);
    DNSKEYRecord zsk = key(DNSKEYRecord.Flags.ZONE_KEY, 2);
    AnchorKeyWatch.Observation seen = AnchorKeyWatch.compare(dsAnchor(ds(current)), List.of(current, next, zsk));
    assertEquals(List.of(next.getFootprint()), seen.newKsks());
    assertEquals(List.of(), seen.unusedAnchors());
  }

  @Test
  void aRevokedAnchoredKeyLeavesItsAnchorUnusedAndIsNotANewKsk() throws Exception {
    DNSKEYRecord old = key(KSK, 1);
    DNSKEYRecord revoked = key(REVOKED_KSK, 1); // the same key with the REVOKE bit: another tag
    DNSKEYRecord next = key(KSK, 3);
    AnchorKeyWatch.Observation byDs = AnchorKeyWatch.compare(dsAnchor(ds(old), ds(next)), List.of(revoked, next));
    assertEquals(List.of(), byDs.newKsks());
    assertEquals(List.of(old.getFootprint()), byDs.unusedAnchors());

    TrustAnchors.Anchor byKey = new TrustAnchors.Anchor(ZONE, List.of(), List.of(old, next));
    AnchorKeyWatch.Observation seen = AnchorKeyWatch.compare(byKey, List.of(revoked, next));
    assertEquals(List.of(), seen.newKsks());
    assertEquals(List.of(old.getFootprint()), seen.unusedAnchors());
  }

  @Test
  void aDnskeyAnchorMatchesByKeyMaterial() throws Exception {
    DNSKEYRecord ksk = key(KSK, 1);
    DNSKEYRecord other = key(KSK, 4);
    TrustAnchors.Anchor anchor = new TrustAnchors.Anchor(ZONE, List.of(), List.of(ksk));
    assertTrue(AnchorKeyWatch.compare(anchor, List.of(ksk)).clean());
    AnchorKeyWatch.Observation seen = AnchorKeyWatch.compare(anchor, List.of(other));
    assertEquals(List.of(other.getFootprint()), seen.newKsks());
    assertEquals(List.of(ksk.getFootprint()), seen.unusedAnchors());
  }

  @Test
  void aDsWithADigestTypeNobodyCanComputeMatchesNothing() throws Exception {
    DNSKEYRecord ksk = key(KSK, 1);
    DSRecord odd = new DSRecord(ZONE, DClass.IN, 3600, ksk.getFootprint(), ksk.getAlgorithm(), 99, new byte[32]);
    AnchorKeyWatch.Observation seen = AnchorKeyWatch.compare(dsAnchor(odd), List.of(ksk));
    assertEquals(List.of(ksk.getFootprint()), seen.newKsks());
    assertEquals(List.of(ksk.getFootprint()), seen.unusedAnchors());
  }

  @Test
  void theListenerHearsOfEachChangeOnceAndNotOfACleanStart() throws Exception {
    DNSKEYRecord current = key(KSK, 1);
    DNSKEYRecord next = key(KSK, 3);
    TrustAnchors.Anchor anchor = dsAnchor(ds(current));
    AnchorKeyWatch watch = new AnchorKeyWatch();
    List<AnchorKeyWatch.Observation> heard = new ArrayList<>();
    watch.onChange(heard::add);
    assertNull(watch.latest(ZONE));

    watch.observe(anchor, List.of(current));
    assertEquals(0, heard.size(), "a clean first look is not news");
    watch.observe(anchor, List.of(current, next));
    watch.observe(anchor, List.of(current, next));
    assertEquals(1, heard.size(), "the same finding twice is one change");
    assertEquals(List.of(next.getFootprint()), heard.get(0).newKsks());
    watch.observe(anchor, List.of(current));
    assertEquals(2, heard.size(), "back to clean is a change too");
    assertTrue(heard.get(1).clean());
    assertTrue(watch.latest(ZONE).clean());

    AnchorKeyWatch fresh = new AnchorKeyWatch();
    List<AnchorKeyWatch.Observation> first = new ArrayList<>();
    fresh.onChange(first::add);
    fresh.observe(anchor, List.of(current, next));
    assertEquals(1, first.size(), "a first look that is not clean is news");
    assertFalse(fresh.latest(ZONE).clean());
  }
}
