package io.dnssecproxy.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/** What validated NSEC records held for a zone may and may not answer by themselves (RFC 8198). */
class AggressiveNsecTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));

  private static Name n(String s) {
    return Name.fromConstantString(s);
  }

  private static RRset nsec(String owner, String next, int... types) {
    return new RRset(new NSECRecord(n(owner), DClass.IN, 300, n(next), types));
  }

  private static RRset soa() {
    return new RRset(new SOARecord(n("example."), DClass.IN, 300, n("ns.example."), n("admin.example."), 1, 2, 3, 4, 300));
  }

  private AggressiveNsec held() {
    AggressiveNsec a = new AggressiveNsec(10, 100, clock);
    a.remember(n("example."), soa(), List.of(
        nsec("example.", "b.example.", Type.SOA, Type.NS, Type.NSEC, Type.RRSIG),
        nsec("b.example.", "d.example.", Type.A, Type.NSEC, Type.RRSIG)), clock.instant().plusSeconds(300));
    return a;
  }

  @Test
  void aNameInsideAHeldSpanIsDenied() {
    Message m = held().synthesize(n("c.example."), Type.A, DClass.IN);
    assertNotNull(m);
    assertEquals(Rcode.NXDOMAIN, m.getRcode());
  }

  @Test
  void aTypeTheHeldNsecDoesNotListIsNodataAndOneItListsIsNotAnswered() {
    AggressiveNsec a = held();
    Message nodata = a.synthesize(n("b.example."), Type.MX, DClass.IN);
    assertNotNull(nodata);
    assertEquals(Rcode.NOERROR, nodata.getRcode());
    assertNull(a.synthesize(n("b.example."), Type.A, DClass.IN), "A exists at b: only the upstream has it");
  }

  @Test
  void namesOutsideTheHeldSpansAndExpiredRecordsAreLeftToTheUpstream() {
    AggressiveNsec a = held();
    assertNull(a.synthesize(n("x.example."), Type.A, DClass.IN), "no NSEC held covers x");
    assertNull(a.synthesize(n("c.other."), Type.A, DClass.IN), "nothing held for that zone");
    clock.advance(Duration.ofSeconds(301));
    assertNull(a.synthesize(n("c.example."), Type.A, DClass.IN), "expired");
  }

  @Test
  void recordsExpiredWithinTheGivenToleranceStillProveAStaleDenial() {
    AggressiveNsec a = held();
    clock.advance(Duration.ofSeconds(300 + 60));

    assertNull(a.synthesize(n("c.example."), Type.A, DClass.IN), "expired a minute ago");
    Message stale = a.synthesize(n("c.example."), Type.A, DClass.IN, Duration.ofSeconds(61));
    assertNotNull(stale, "within the stale window");
    assertEquals(Rcode.NXDOMAIN, stale.getRcode());
    assertNull(a.synthesize(n("c.example."), Type.A, DClass.IN, Duration.ofSeconds(59)), "beyond it");
  }

  @Test
  void theHeldRecordsStayBoundedAcrossManyZones() {
    AggressiveNsec a = new AggressiveNsec(1000, 50, clock);
    for (int z = 0; z < 500; z++) {
      String zone = "z" + z + ".example.";
      a.remember(n(zone), null, List.of(nsec(zone, "a." + zone, Type.NS), nsec("a." + zone, zone, Type.A)),
          clock.instant().plusSeconds(300));
    }
    assertTrue(a.size() <= 100, "held " + a.size());
  }
}
