package io.dnssecproxy.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.lab.Nsec3Hash;
import io.dnssecproxy.lab.Nsec3Params;
import io.dnssecproxy.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What validated NSEC3 records held for a zone may and may not answer by themselves (RFC 8198
 * with NSEC3): the zone {@code example.} holds {@code www} (A), the empty non-terminal
 * {@code wild} and {@code *.wild} (A), in a complete NSEC3 chain (0 iterations, no salt).
 */
class AggressiveNsec3Test {

  private static final Name ZONE = n("example.");
  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));

  private static Name n(String s) {
    return Name.fromConstantString(s);
  }

  /** The zone's NSEC3 RRsets, by the name each one is the hash of. */
  private static Map<Name, RRset> chain(boolean optOut) {
    Nsec3Params params = new Nsec3Params(0, new byte[0], optOut);
    Map<Name, int[]> names = new LinkedHashMap<>();
    names.put(ZONE, new int[] {Type.SOA, Type.NS, Type.DNSKEY, Type.NSEC3PARAM, Type.RRSIG});
    names.put(n("www.example."), new int[] {Type.A, Type.RRSIG});
    names.put(n("wild.example."), new int[] {});
    names.put(n("*.wild.example."), new int[] {Type.A, Type.RRSIG});
    List<Name> sorted = new ArrayList<>(names.keySet());
    sorted.sort(Comparator.comparing(x -> Nsec3Hash.hash(x, params), Nsec3Hash::compare));
    Map<Name, RRset> out = new LinkedHashMap<>();
    for (int i = 0; i < sorted.size(); i++) {
      Name name = sorted.get(i);
      byte[] next = Nsec3Hash.hash(sorted.get((i + 1) % sorted.size()), params);
      Name owner = Nsec3Hash.ownerName(Nsec3Hash.hash(name, params), ZONE);
      out.put(name, new RRset(new NSEC3Record(owner, DClass.IN, 300, NSEC3Record.Digest.SHA1, params.flags(), 0,
          params.salt(), next, names.get(name))));
    }
    return out;
  }

  private static RRset soa() {
    return new RRset(new SOARecord(ZONE, DClass.IN, 300, n("ns.example."), n("admin.example."), 1, 2, 3, 4, 300));
  }

  private static RRset expandedWildcard(Name expandedTo) throws Exception {
    return new RRset(new ARecord(expandedTo, DClass.IN, 300, java.net.InetAddress.getByName("192.0.2.7")));
  }

  private AggressiveNsec holding(boolean optOut) {
    AggressiveNsec a = new AggressiveNsec(10, 100, clock);
    a.remember(ZONE, soa(), List.of(), new ArrayList<>(chain(optOut).values()), clock.instant().plusSeconds(300));
    return a;
  }

  private static boolean hasNsec3(Message m) {
    return m.getSection(Section.AUTHORITY).stream().anyMatch(r -> r.getType() == Type.NSEC3);
  }

  @Test
  void anAbsentNameIsDeniedWithTheClosestEncloserProof() {
    Message m = holding(false).synthesize(n("nope.example."), Type.A, DClass.IN);
    assertNotNull(m);
    assertEquals(Rcode.NXDOMAIN, m.getRcode());
    assertTrue(hasNsec3(m), "the proof goes with it");
    assertTrue(m.getSection(Section.AUTHORITY).stream().anyMatch(r -> r.getType() == Type.SOA), "and the SOA");
  }

  @Test
  void aTypeTheMatchingNsec3DoesNotListIsNodataAndOneItListsIsLeftToTheUpstream() {
    AggressiveNsec a = holding(false);
    Message nodata = a.synthesize(n("www.example."), Type.MX, DClass.IN);
    assertNotNull(nodata);
    assertEquals(Rcode.NOERROR, nodata.getRcode());
    assertTrue(nodata.getSection(Section.ANSWER).isEmpty());
    assertNull(a.synthesize(n("www.example."), Type.A, DClass.IN), "A exists at www");
    assertNotNull(a.synthesize(n("wild.example."), Type.A, DClass.IN), "an empty non-terminal has no data of any type");
  }

  @Test
  void aNameUnderTheWildcardIsNotDeniedAndIsExpandedOnceTheWildcardIsHeld() throws Exception {
    AggressiveNsec a = holding(false);
    Name q = n("host.wild.example.");
    assertNull(a.synthesize(q, Type.A, DClass.IN), "the wildcard has A, but its data is not held yet");
    Message wildcardNodata = a.synthesize(q, Type.MX, DClass.IN);
    assertNotNull(wildcardNodata, "the wildcard exists without MX");
    assertEquals(Rcode.NOERROR, wildcardNodata.getRcode());

    Name first = n("first.wild.example.");
    Map<Name, RRset> chain = chain(false);
    a.rememberWildcard(ZONE, n("*.wild.example."), expandedWildcard(first), List.of(), List.of(chain.get(ZONE)),
        clock.instant().plusSeconds(300));
    Message m = a.synthesize(q, Type.A, DClass.IN);
    assertNotNull(m);
    assertEquals(Rcode.NOERROR, m.getRcode());
    Record answer = m.getSection(Section.ANSWER).get(0);
    assertEquals(q, answer.getName());
    assertEquals("192.0.2.7", answer.rdataToString());
    assertTrue(hasNsec3(m), "the NSEC3 covering the next closer name goes with it");
    Message deeper = a.synthesize(n("a.b.wild.example."), Type.A, DClass.IN);
    assertNotNull(deeper, "names further down are covered the same way");
    assertEquals(n("a.b.wild.example."), deeper.getSection(Section.ANSWER).get(0).getName());
  }

  @Test
  void opt_outSpansProveNothing() throws Exception {
    AggressiveNsec a = holding(true);
    assertNull(a.synthesize(n("nope.example."), Type.A, DClass.IN), "an unsigned delegation may hide in the span");
    a.rememberWildcard(ZONE, n("*.wild.example."), expandedWildcard(n("first.wild.example.")), List.of(),
        new ArrayList<>(chain(true).values()), clock.instant().plusSeconds(300));
    assertNull(a.synthesize(n("host.wild.example."), Type.A, DClass.IN), "nor may the exact name, under opt-out");
    assertNotNull(a.synthesize(n("www.example."), Type.MX, DClass.IN), "a matching record still shows the types");
  }

  @Test
  void heldRecordsExpireWithTheirTtl() {
    AggressiveNsec a = holding(false);
    assertNotNull(a.synthesize(n("nope.example."), Type.A, DClass.IN));
    clock.advance(Duration.ofSeconds(301));
    assertNull(a.synthesize(n("nope.example."), Type.A, DClass.IN));
  }

  @Test
  void anotherParameterSetReplacesTheHeldChain() {
    AggressiveNsec a = holding(false);
    Nsec3Params salted = new Nsec3Params(1, new byte[] {1, 2}, false);
    Name www = n("www.example.");
    a.remember(ZONE, null, List.of(), List.of(new RRset(new NSEC3Record(
        Nsec3Hash.ownerName(Nsec3Hash.hash(www, salted), ZONE), DClass.IN, 300, NSEC3Record.Digest.SHA1, 0, 1,
        salted.salt(), Nsec3Hash.hash(ZONE, salted), new int[] {Type.A}))), clock.instant().plusSeconds(300));
    assertEquals(1, a.size());
    assertNull(a.synthesize(n("nope.example."), Type.A, DClass.IN), "one record of the new chain proves no NXDOMAIN");
  }
}
