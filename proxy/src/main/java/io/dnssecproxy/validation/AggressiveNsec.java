package io.dnssecproxy.validation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Aggressive use of validated NSEC and NSEC3 records (RFC 8198): once a zone's signed denial
 * records have proven one name absent, the same records prove every other name in their spans
 * absent, so such questions are answered without asking the upstream: denials (NXDOMAIN,
 * NODATA) and wildcard expansions whose wildcard RRset is held. NSEC3 spans with the opt-out
 * flag are never used ({@link HeldNsec3}). Entries expire with the records' TTLs and
 * signatures, bounded per zone and in number of zones. Thread-safe.
 */
public final class AggressiveNsec {

  private record Denial(RRset rrset, Instant expires) {}

  private static final class ZoneDenials {
    final HeldNsec3 nsec3;
    RRset soa;
    Instant soaExpires = Instant.MIN;
    final TreeMap<Name, Denial> byOwner = new TreeMap<>();
    /** Validated wildcard RRsets, owner {@code *.parent}, by owner then type. */
    final Map<Name, Map<Integer, Denial>> wildcards = new LinkedHashMap<>();

    ZoneDenials(Name zone) {
      nsec3 = new HeldNsec3(zone);
    }

    int size() {
      int n = byOwner.size() + nsec3.size();
      for (Map<Integer, Denial> m : wildcards.values()) {
        n += m.size();
      }
      return n;
    }
  }

  private final int maxZones;
  private final int maxPerZone;
  /** Records held across all zones; a flood of zones cannot grow it past maxZones x maxPerZone. */
  private int held;
  private final int maxHeld;
  private final Clock wallClock;
  private final Map<Name, ZoneDenials> zones;

  public AggressiveNsec(int maxZones, int maxPerZone, Clock wallClock) {
    this.maxZones = maxZones;
    this.maxPerZone = maxPerZone;
    this.maxHeld = maxPerZone * 2;
    this.wallClock = wallClock;
    this.zones = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Name, ZoneDenials> eldest) {
        if (size() > AggressiveNsec.this.maxZones) {
          held -= eldest.getValue().size();
          return true;
        }
        return false;
      }
    };
  }

  /** Remembers verified NSEC RRsets of a secure zone, and its verified SOA (null: keep the one known). */
  synchronized void remember(Name zone, RRset soa, List<RRset> nsecs, Instant expires) {
    remember(zone, soa, nsecs, List.of(), expires);
  }

  /** The same with verified NSEC3 RRsets of the zone too (of at most the RFC 9276 iteration limit). */
  synchronized void remember(Name zone, RRset soa, List<RRset> nsecs, List<RRset> nsec3s, Instant expires) {
    ZoneDenials z = zones.computeIfAbsent(zone, ZoneDenials::new);
    if (soa != null) {
      z.soa = soa;
      z.soaExpires = expires;
    }
    for (RRset s : nsecs) {
      if (z.byOwner.put(s.getName(), new Denial(s, expires)) == null) {
        held++;
      }
      if (z.byOwner.size() > maxPerZone) {
        z.byOwner.pollFirstEntry();
        held--;
      }
    }
    for (RRset s : nsec3s) {
      held += z.nsec3.add(s, expires, maxPerZone);
    }
    evictOverBudget(zone);
  }

  /** Drops the least recently used other zones while more than maxHeld records are held. */
  private void evictOverBudget(Name keep) {
    var it = zones.entrySet().iterator();
    while (held > maxHeld && it.hasNext()) {
      Map.Entry<Name, ZoneDenials> e = it.next();
      if (!e.getKey().equals(keep)) {
        held -= e.getValue().size();
        it.remove();
      }
    }
  }

  /**
   * Remembers a validated wildcard expansion: the RRset as received (owned by the expanded name,
   * with its RRSIGs, whose labels field marks the wildcard) and the NSEC records that proved the
   * expanded name absent. Later names in the same span get the same data without an upstream query.
   */
  synchronized void rememberWildcard(Name zone, Name wildcard, RRset expanded, List<RRset> nsecs, List<RRset> nsec3s,
      Instant expires) {
    remember(zone, null, nsecs, nsec3s, expires);
    ZoneDenials z = zones.get(zone);
    if (z.wildcards.size() >= maxPerZone) {
      return;
    }
    if (z.wildcards.computeIfAbsent(wildcard, k -> new LinkedHashMap<>()).put(expanded.getType(), new Denial(expanded, expires)) == null) {
      held++;
    }
    evictOverBudget(zone);
  }

  public synchronized void clear() {
    zones.clear();
    held = 0;
  }

  /**
   * What held records prove about one question: the parts of a synthesized response. The
   * RRsets are the held objects themselves, so two proofs from the same records hold the same
   * objects (until the records are refreshed), which lets a caller reuse work per proof.
   *
   * @param wildcard the held wildcard RRset (owner {@code *.parent}, signatures included) whose
   *     expansion answers the question, or null for a denial
   * @param soa the zone's SOA for a denial's negative TTL, or null for a wildcard expansion
   * @param denials the NSEC or NSEC3 RRsets that prove the question's name (or type) absent
   */
  public record Proof(int rcode, RRset wildcard, RRset soa, List<RRset> denials) {

    /** What was proven, for metrics: {@code wildcard} (an expansion), {@code nxdomain} or {@code nodata}. */
    public String kind() {
      return wildcard != null ? "wildcard" : rcode == Rcode.NXDOMAIN ? "nxdomain" : "nodata";
    }

    /** The response these records make for the question. */
    public Message toMessage(Name qname, int qtype, int dclass) {
      Message m = new Message();
      m.getHeader().setFlag(Flags.QR);
      m.getHeader().setFlag(Flags.RA);
      m.getHeader().setRcode(rcode);
      m.addRecord(Record.newRecord(qname, qtype, dclass), Section.QUESTION);
      if (wildcard != null) {
        // The RRSIG labels field still names the wildcard, so clients can verify the expansion.
        wildcard.rrs(false).forEach(r -> m.addRecord(r.withName(qname), Section.ANSWER));
        wildcard.sigs().forEach(r -> m.addRecord(r.withName(qname), Section.ANSWER));
      }
      if (soa != null) {
        add(m, soa);
      }
      denials.forEach(s -> add(m, s));
      return m;
    }
  }

  /**
   * A secure NXDOMAIN or NODATA for the question, built from remembered records, or null when
   * they do not prove one (the upstream must then be asked).
   */
  synchronized Message synthesize(Name qname, int qtype, int dclass) {
    return synthesize(qname, qtype, dclass, Duration.ZERO);
  }

  /**
   * The same, also from records that expired at most {@code expiredBy} ago: for a stale answer
   * (RFC 8767) when no upstream answers. Records are dropped only to stay within the budget, not
   * when they expire, so they are still here for that.
   */
  synchronized Message synthesize(Name qname, int qtype, int dclass, Duration expiredBy) {
    Proof p = prove(qname, qtype, expiredBy);
    return p == null ? null : p.toMessage(qname, qtype, dclass);
  }

  /** What the held records prove about the question (see {@link #synthesize}), or null. */
  synchronized Proof prove(Name qname, int qtype, Duration expiredBy) {
    Instant now = wallClock.instant().minus(expiredBy);
    for (Name zone = qname; ; zone = Names.parent(zone)) {
      ZoneDenials z = zones.get(zone);
      if (z != null) {
        Proof p = fromZone(z, qname, qtype, now);
        // A denial needs the zone's SOA (for the negative TTL); an expanded wildcard does not.
        boolean denial = p != null && p.wildcard() == null;
        return denial && (z.soa == null || !now.isBefore(z.soaExpires)) ? null : p;
      }
      if (zone.labels() <= 1) {
        return null;
      }
    }
  }

  private Proof fromZone(ZoneDenials z, Name qname, int qtype, Instant now) {
    Proof p = z.byOwner.isEmpty() ? null : fromNsec(z, qname, qtype, now);
    return p != null || z.nsec3.size() == 0 ? p : fromNsec3(z, qname, qtype, now);
  }

  private Proof fromNsec3(ZoneDenials z, Name qname, int qtype, Instant now) {
    HeldNsec3.Proof p = z.nsec3.prove(qname, qtype, now, wildcard -> heldWildcard(z, wildcard, qtype, now) != null);
    if (p == null) {
      return null;
    }
    return switch (p.kind()) {
      case WILDCARD -> new Proof(Rcode.NOERROR, heldWildcard(z, p.wildcard(), qtype, now).rrset(), null, p.records());
      case NXDOMAIN -> new Proof(Rcode.NXDOMAIN, null, z.soa, p.records());
      case NODATA, WILDCARD_NODATA -> new Proof(Rcode.NOERROR, null, z.soa, p.records());
    };
  }

  private static Denial heldWildcard(ZoneDenials z, Name wildcard, int qtype, Instant now) {
    Map<Integer, Denial> byType = z.wildcards.get(wildcard);
    Denial d = byType == null ? null : byType.get(qtype);
    return d == null || !now.isBefore(d.expires()) ? null : d;
  }

  private Proof fromNsec(ZoneDenials z, Name qname, int qtype, Instant now) {
    NSECRecord match = live(z, z.byOwner.get(qname), now);
    if (match != null) {
      Verdict v = NsecProofs.nodata(qname, qtype, List.of(match));
      return v.isSecure() ? denial(Rcode.NOERROR, z, List.of(qname)) : null;
    }
    Map.Entry<Name, Denial> below = z.byOwner.lowerEntry(qname);
    NSECRecord cover = below == null ? null : live(z, below.getValue(), now);
    if (cover == null || !NsecProofs.covers(cover, qname)) {
      return null;
    }
    if (Names.strictlyBelow(cover.getNext(), qname)) {
      // An empty non-terminal: the name exists without data of any type.
      return denial(Rcode.NOERROR, z, List.of(cover.getName()));
    }
    Name wildcard = Names.wildcardOf(NsecProofs.closestEncloser(cover, qname));
    if (wildcard == null) {
      return null;
    }
    if (z.byOwner.containsKey(wildcard) || z.wildcards.containsKey(wildcard)) {
      // The wildcard exists: the answer is its data, expanded, if that is held.
      Denial d = heldWildcard(z, wildcard, qtype, now);
      return d == null ? null : new Proof(Rcode.NOERROR, d.rrset(), null, List.of(below.getValue().rrset()));
    }
    Map.Entry<Name, Denial> belowWildcard = z.byOwner.lowerEntry(wildcard);
    NSECRecord wcCover = belowWildcard == null ? null : live(z, belowWildcard.getValue(), now);
    if (wcCover == null || !NsecProofs.covers(wcCover, wildcard)) {
      return null;
    }
    List<Name> owners = new ArrayList<>(List.of(cover.getName()));
    if (!wcCover.getName().equals(cover.getName())) {
      owners.add(wcCover.getName());
    }
    return denial(Rcode.NXDOMAIN, z, owners);
  }

  private static NSECRecord live(ZoneDenials z, Denial d, Instant now) {
    return d == null || !now.isBefore(d.expires()) ? null : (NSECRecord) d.rrset().first();
  }

  private static Proof denial(int rcode, ZoneDenials z, List<Name> owners) {
    List<RRset> proof = new ArrayList<>(owners.size());
    for (Name owner : owners) {
      proof.add(z.byOwner.get(owner).rrset());
    }
    return new Proof(rcode, null, z.soa, proof);
  }

  private static void add(Message m, RRset s) {
    s.rrs(false).forEach(r -> m.addRecord(r, Section.AUTHORITY));
    for (RRSIGRecord sig : s.sigs()) {
      m.addRecord(sig, Section.AUTHORITY);
    }
  }

  /** For the cache: the earliest expiry among the signatures of a synthesized response. */
  static Instant earliestSignature(Message m) {
    Instant earliest = null;
    List<Record> all = new ArrayList<>(m.getSection(Section.ANSWER));
    all.addAll(m.getSection(Section.AUTHORITY));
    for (Record r : all) {
      if (r instanceof RRSIGRecord sig && (earliest == null || sig.getExpire().isBefore(earliest))) {
        earliest = sig.getExpire();
      }
    }
    return earliest;
  }

  /** Records held across all zones. */
  public synchronized int size() {
    return held;
  }
}
