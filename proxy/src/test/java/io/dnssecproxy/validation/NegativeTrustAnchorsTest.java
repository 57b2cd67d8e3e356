package io.dnssecproxy.validation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class NegativeTrustAnchorsTest {

  private static Name n(String s) {
    return Names.parse(s);
  }

  private final NegativeTrustAnchors defaults = NegativeTrustAnchors.defaultsPlus("cluster.local.", List.of());

  @Test
  void clusterDomainAndEverythingBelowIsCovered() {
    assertTrue(defaults.covers(n("cluster.local.")));
    assertTrue(defaults.covers(n("kubernetes.default.svc.cluster.local.")));
  }

  @Test
  void coverageIgnoresCase() {
    assertTrue(defaults.covers(n("KubeRnetes.Default.SVC.Cluster.Local.")));
  }

  @Test
  void privateReverseZonesAreCovered() {
    assertTrue(defaults.covers(n("10.in-addr.arpa.")));
    assertTrue(defaults.covers(n("4.3.2.10.in-addr.arpa.")));
    assertTrue(defaults.covers(n("1.0.16.172.in-addr.arpa.")));
    assertTrue(defaults.covers(n("1.0.31.172.in-addr.arpa.")));
    assertTrue(defaults.covers(n("1.1.168.192.in-addr.arpa.")));
  }

  @Test
  void publicReverseZonesAreNotCovered() {
    assertFalse(defaults.covers(n("1.0.15.172.in-addr.arpa.")));
    assertFalse(defaults.covers(n("1.0.32.172.in-addr.arpa.")));
    assertFalse(defaults.covers(n("8.8.8.8.in-addr.arpa.")));
    assertFalse(defaults.covers(n("in-addr.arpa.")));
  }

  @Test
  void specialUseNamesAreCovered() {
    assertTrue(defaults.covers(n("printer.local.")));
    assertTrue(defaults.covers(n("router.home.arpa.")));
    assertTrue(defaults.covers(n("db.internal.")));
  }

  @Test
  void publicNamesAreNotCovered() {
    assertFalse(defaults.covers(n("www.example.com.")));
    assertFalse(defaults.covers(n("arpa.")));
    assertFalse(defaults.covers(Name.root));
    assertFalse(defaults.covers(n("local.example.com."))); // "local" as a leftmost label only
  }

  @Test
  void customClusterDomainIsCovered() {
    NegativeTrustAnchors nta = NegativeTrustAnchors.defaultsPlus("k8s.corp.example.", List.of());
    assertTrue(nta.covers(n("api.default.svc.k8s.corp.example.")));
    assertFalse(nta.covers(n("www.corp.example.")));
  }

  @Test
  void extraDomainsAreAddedToTheDefaults() {
    NegativeTrustAnchors nta = NegativeTrustAnchors.defaultsPlus("cluster.local.", List.of(n("Lab.Example.")));
    assertTrue(nta.covers(n("host.lab.example.")));
    assertTrue(nta.covers(n("svc.cluster.local.")));
    assertFalse(nta.covers(n("example.")));
  }

  @Test
  void theRootAsADomainCoversEveryName() {
    NegativeTrustAnchors all = NegativeTrustAnchors.of(List.of(Name.root));
    assertTrue(all.covers(Name.root));
    assertTrue(all.covers(n("www.example.com.")));
  }

  @Test
  void aDomainSharingOnlyTheTopLevelDomainDoesNotCover() {
    NegativeTrustAnchors nta = NegativeTrustAnchors.of(List.of(n("corp.example."), n("a.b.example.")));
    assertTrue(nta.covers(n("X.A.B.Example.")));
    assertFalse(nta.covers(n("b.example.")));
    assertFalse(nta.covers(n("www.example.")));
    assertFalse(nta.covers(n("example.")));
    assertFalse(nta.covers(n("acorp.example.")));
  }

  @Test
  void emptySetCoversNothing() {
    assertFalse(NegativeTrustAnchors.of(List.of()).covers(n("svc.cluster.local.")));
  }
}
