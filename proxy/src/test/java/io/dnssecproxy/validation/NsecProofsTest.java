package io.dnssecproxy.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The proofs over a hand-built chain for zone example. (canonical order):
 *
 * <pre>
 * example.        -> a.example.      SOA NS DNSKEY NSEC RRSIG  (apex)
 * a.example.      -> x.b.example.    A NSEC RRSIG              (b.example. is an empty non-terminal)
 * x.b.example.    -> d.example.      A TXT NSEC RRSIG
 * d.example.      -> e.example.      NS NSEC RRSIG             (unsigned delegation)
 * e.example.      -> *.w.example.    DNAME NSEC RRSIG
 * *.w.example.    -> z.example.      TXT NSEC RRSIG            (wildcard; w.example. is an ENT)
 * z.example.      -> example.        A NSEC RRSIG              (last: wraps to the apex)
 * </pre>
 */
class NsecProofsTest {

  private static Name n(String s) {
    return Names.parse(s);
  }

  private static NSECRecord nsec(String owner, String next, int... types) {
    return new NSECRecord(n(owner), DClass.IN, 3600, n(next), types);
  }

  private static final NSECRecord APEX = nsec("example.", "a.example.", Type.SOA, Type.NS, Type.DNSKEY, Type.NSEC, Type.RRSIG);
  private static final NSECRecord A = nsec("a.example.", "x.b.example.", Type.A, Type.NSEC, Type.RRSIG);
  private static final NSECRecord XB = nsec("x.b.example.", "d.example.", Type.A, Type.TXT, Type.NSEC, Type.RRSIG);
  private static final NSECRecord D = nsec("d.example.", "e.example.", Type.NS, Type.NSEC, Type.RRSIG);
  private static final NSECRecord E = nsec("e.example.", "*.w.example.", Type.DNAME, Type.NSEC, Type.RRSIG);
  private static final NSECRecord WILD = nsec("*.w.example.", "z.example.", Type.TXT, Type.NSEC, Type.RRSIG);
  private static final NSECRecord Z = nsec("z.example.", "example.", Type.A, Type.NSEC, Type.RRSIG);
  private static final List<NSECRecord> CHAIN = List.of(APEX, A, XB, D, E, WILD, Z);

  private static List<NSECRecord> without(NSECRecord r) {
    List<NSECRecord> l = new ArrayList<>(CHAIN);
    l.remove(r);
    return l;
  }

  // --- covers ---

  @Test
  void coversANameStrictlyBetweenOwnerAndNext() {
    assertTrue(NsecProofs.covers(XB, n("c.example.")));
    assertTrue(NsecProofs.covers(APEX, n("0.example.")));
    assertTrue(NsecProofs.covers(APEX, n("*.example.")));
  }

  @Test
  void doesNotCoverItsOwnerOrItsNext() {
    assertFalse(NsecProofs.covers(XB, n("x.b.example.")));
    assertFalse(NsecProofs.covers(XB, n("d.example.")));
  }

  @Test
  void doesNotCoverNamesOutsideItsInterval() {
    assertFalse(NsecProofs.covers(XB, n("a.example.")));
    assertFalse(NsecProofs.covers(XB, n("q.example.")));
  }

  @Test
  void coverageIgnoresCase() {
    assertTrue(NsecProofs.covers(XB, n("C.EXAMPLE.")));
  }

  @Test
  void lastNsecWrapsToCoverEverythingAfterItsOwnerInTheZone() {
    assertTrue(NsecProofs.covers(Z, n("zz.example.")));
    assertTrue(NsecProofs.covers(Z, n("a.z.example.")));
  }

  @Test
  void lastNsecDoesNotCoverNamesOutsideTheZoneOrBeforeItsOwner() {
    assertFalse(NsecProofs.covers(Z, n("zz.")));
    assertFalse(NsecProofs.covers(Z, n("example2.")));
    assertFalse(NsecProofs.covers(Z, n("c.example.")));
    assertFalse(NsecProofs.covers(Z, n("example.")));
  }

  @Test
  void singleNameZoneNsecCoversEveryOtherNameInTheZone() {
    NSECRecord only = nsec("example.", "example.", Type.SOA, Type.NS, Type.NSEC);
    assertTrue(NsecProofs.covers(only, n("www.example.")));
    assertFalse(NsecProofs.covers(only, n("example.")));
    assertFalse(NsecProofs.covers(only, n("www.other.")));
  }

  @Test
  void delegationNsecCannotCoverNamesBelowTheCut() {
    // host.d.example. sorts between d.example. and e.example., but lives in the child zone.
    assertFalse(NsecProofs.covers(D, n("host.d.example.")));
    assertTrue(NsecProofs.covers(D, n("da.example.")));
  }

  @Test
  void dnameNsecCannotCoverNamesBelowIt() {
    assertFalse(NsecProofs.covers(E, n("www.e.example.")));
  }

  @Test
  void apexNsecWithNsAndSoaCoversNamesBelowTheApex() {
    assertTrue(NsecProofs.covers(APEX, n("0.example.")));
  }

  // --- NXDOMAIN ---

  @Test
  void nxdomainIsProvenByNameCoverPlusWildcardCover() {
    Verdict v = NsecProofs.nxdomain(n("c.example."), CHAIN);
    assertTrue(v.isSecure(), v.toString());
  }

  @Test
  void nxdomainWithoutTheWildcardCoverIsBogus() {
    // The apex NSEC is the one that covers *.example.
    Verdict v = NsecProofs.nxdomain(n("c.example."), without(APEX));
    assertTrue(v.isBogus(), v.toString());
    assertEquals(Ede.NSEC_MISSING, v.ede());
    assertTrue(v.reasonText().contains("wildcard *.example."), v.reasonText());
  }

  @Test
  void nxdomainWithoutTheNameCoverIsBogus() {
    Verdict v = NsecProofs.nxdomain(n("c.example."), List.of(APEX));
    assertTrue(v.isBogus(), v.toString());
    assertEquals(Ede.NSEC_MISSING, v.ede());
    assertTrue(v.reasonText().contains("c.example. does not exist"), v.reasonText());
  }

  @Test
  void nxdomainForANameAWildcardWouldMatchIsBogus() {
    // foo.w.example. is covered, but *.w.example. exists, so the name would have been synthesized.
    Verdict v = NsecProofs.nxdomain(n("foo.w.example."), CHAIN);
    assertTrue(v.isBogus(), v.toString());
  }

  @Test
  void nxdomainBelowADelegationIsBogus() {
    Verdict v = NsecProofs.nxdomain(n("host.d.example."), CHAIN);
    assertTrue(v.isBogus(), v.toString());
  }

  @Test
  void nxdomainAfterTheLastNameUsesTheWrappingNsec() {
    Verdict v = NsecProofs.nxdomain(n("zz.example."), List.of(Z, APEX));
    assertTrue(v.isSecure(), v.toString());
  }

  // --- NODATA ---

  @Test
  void nodataIsProvenByAMatchingNsecWithoutTheType() {
    assertTrue(NsecProofs.nodata(n("a.example."), Type.TXT, CHAIN).isSecure());
  }

  @Test
  void nodataIsBogusWhenTheMatchingNsecHasTheType() {
    Verdict v = NsecProofs.nodata(n("a.example."), Type.A, CHAIN);
    assertTrue(v.isBogus(), v.toString());
    assertEquals(Ede.DNSSEC_BOGUS, v.ede());
  }

  @Test
  void nodataIsBogusWhenTheMatchingNsecHasACname() {
    NSECRecord cname = nsec("alias.example.", "b.example.", Type.CNAME, Type.NSEC, Type.RRSIG);
    assertTrue(NsecProofs.nodata(n("alias.example."), Type.A, List.of(cname)).isBogus());
  }

  @Test
  void nodataMatchIgnoresCase() {
    assertTrue(NsecProofs.nodata(n("A.Example."), Type.TXT, CHAIN).isSecure());
  }

  @Test
  void nodataAtAnEmptyNonTerminalIsProvenByTheCoverWhoseNextIsBelowIt() {
    Verdict v = NsecProofs.nodata(n("b.example."), Type.A, List.of(A));
    assertTrue(v.isSecure(), v.toString());
  }

  @Test
  void nodataForANonexistentNameIsNotAnEntProof() {
    Verdict v = NsecProofs.nodata(n("c.example."), Type.A, List.of(XB));
    assertTrue(v.isBogus(), v.toString());
    assertEquals(Ede.NSEC_MISSING, v.ede());
  }

  @Test
  void wildcardNodataNeedsTheNameCoverAndTheWildcardMatch() {
    Verdict v = NsecProofs.nodata(n("foo.w.example."), Type.A, List.of(WILD));
    assertTrue(v.isSecure(), v.toString());
  }

  @Test
  void wildcardNodataIsBogusWhenTheWildcardHasTheType() {
    assertTrue(NsecProofs.nodata(n("foo.w.example."), Type.TXT, List.of(WILD)).isBogus());
  }

  @Test
  void wildcardNodataWithoutTheWildcardNsecIsBogus() {
    // The name is covered, but nothing shows what the wildcard *.example. holds.
    Verdict v = NsecProofs.nodata(n("c.example."), Type.A, List.of(XB, Z));
    assertTrue(v.isBogus(), v.toString());
  }

  @Test
  void parentSideNsecOfAnUnsignedDelegationMakesChildDataInsecure() {
    // NS without DS at the cut: the child is unsigned, so nothing about its data can be proven.
    Verdict v = NsecProofs.nodata(n("d.example."), Type.A, CHAIN);
    assertEquals(SecurityStatus.INSECURE, v.status(), v.toString());
    assertTrue(v.reasonText().contains("unsigned delegation"), v.reasonText());
  }

  @Test
  void parentSideNsecOfASignedDelegationCannotDenyChildData() {
    NSECRecord signedCut = nsec("d.example.", "e.example.", Type.NS, Type.DS, Type.NSEC, Type.RRSIG);
    List<NSECRecord> chain = new ArrayList<>(without(D));
    chain.add(signedCut);
    Verdict v = NsecProofs.nodata(n("d.example."), Type.A, chain);
    assertTrue(v.isBogus(), v.toString());
    assertTrue(v.reasonText().contains("parent side"), v.reasonText());
  }

  @Test
  void parentSideDelegationNsecDoesDenyDs() {
    assertTrue(NsecProofs.nodata(n("d.example."), Type.DS, CHAIN).isSecure());
  }

  @Test
  void childSideApexNsecCannotDenyDs() {
    Verdict v = NsecProofs.nodata(n("example."), Type.DS, CHAIN);
    assertTrue(v.isBogus(), v.toString());
    assertTrue(v.reasonText().contains("child side"), v.reasonText());
  }

  @Test
  void rootApexNsecMayDenyDs() {
    NSECRecord root = nsec(".", "aaa.", Type.SOA, Type.NS, Type.NSEC, Type.RRSIG, Type.DNSKEY);
    assertTrue(NsecProofs.nodata(Name.root, Type.DS, List.of(root)).isSecure());
  }

  // --- wildcard expansion ---

  @Test
  void wildcardExpansionIsProvenByACoverWithTheSameClosestEncloser() {
    assertTrue(NsecProofs.wildcardExpansion(n("foo.w.example."), n("w.example."), CHAIN).isSecure());
  }

  @Test
  void wildcardExpansionFromTheWrongClosestEncloserIsBogus() {
    Verdict v = NsecProofs.wildcardExpansion(n("foo.w.example."), n("example."), CHAIN);
    assertTrue(v.isBogus(), v.toString());
    assertEquals(Ede.DNSSEC_BOGUS, v.ede());
  }

  @Test
  void wildcardExpansionWithoutACoverIsBogus() {
    Verdict v = NsecProofs.wildcardExpansion(n("foo.w.example."), n("w.example."), List.of(APEX));
    assertEquals(Ede.NSEC_MISSING, v.ede());
  }

  // --- DS absence ---

  @Test
  void dsAbsenceAtADelegationWithoutDsIsAnInsecureDelegation() {
    assertSame(DsAbsence.INSECURE_DELEGATION, NsecProofs.dsAbsence(n("d.example."), CHAIN));
  }

  @Test
  void dsAbsenceAtAnOrdinaryNameIsNoCut() {
    assertSame(DsAbsence.NO_CUT, NsecProofs.dsAbsence(n("a.example."), CHAIN));
  }

  @Test
  void dsAbsenceAtAnEmptyNonTerminalIsNoCut() {
    assertSame(DsAbsence.NO_CUT, NsecProofs.dsAbsence(n("b.example."), CHAIN));
  }

  @Test
  void dsAbsenceOfANonexistentNameIsNameAbsent() {
    assertSame(DsAbsence.NAME_ABSENT, NsecProofs.dsAbsence(n("c.example."), CHAIN));
  }

  @Test
  void dsAbsenceProvesNothingFromAnNsecListingDs() {
    NSECRecord signed = nsec("s.example.", "t.example.", Type.NS, Type.DS, Type.NSEC, Type.RRSIG);
    assertNull(NsecProofs.dsAbsence(n("s.example."), List.of(signed)));
  }

  @Test
  void dsAbsenceProvesNothingFromTheChildApex() {
    assertNull(NsecProofs.dsAbsence(n("example."), CHAIN));
  }

  @Test
  void dsAbsenceProvesNothingWithoutMatchOrCover() {
    assertNull(NsecProofs.dsAbsence(n("c.example."), List.of(APEX)));
  }

  @Test
  void dsAbsenceBelowADelegationProvesNothing() {
    assertNull(NsecProofs.dsAbsence(n("sub.d.example."), List.of(D)));
  }

  // --- closest encloser ---

  @Test
  void closestEncloserIsTheLongestAncestorSharedWithOwnerOrNext() {
    assertEquals(n("w.example."), NsecProofs.closestEncloser(WILD, n("foo.w.example.")));
    assertEquals(n("example."), NsecProofs.closestEncloser(XB, n("c.example.")));
    assertEquals(n("b.example."), NsecProofs.closestEncloser(A, n("y.b.example.")));
  }
}
