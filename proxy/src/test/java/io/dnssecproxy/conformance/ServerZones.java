package io.dnssecproxy.conformance;

import java.util.HashSet;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The zones one simulated authoritative server (one RANGE) serves, guessed from its answers:
 * SOA owners, RRSIG signers, and apex NS/DNSKEY answers. Used to prefer the server an
 * iterating resolver would have asked: the one closest to the name, or for DS the closest one
 * strictly above it (the parent side of the delegation).
 */
final class ServerZones {

  private final Set<Name> zones = new HashSet<>();

  ServerZones(RplRange range) {
    for (RplEntry e : range.entries()) {
      for (int s = Section.ANSWER; s <= Section.ADDITIONAL; s++) {
        for (Record r : e.section(s)) {
          if (r.getType() == Type.SOA) {
            zones.add(r.getName());
          } else if (r instanceof RRSIGRecord sig) {
            zones.add(sig.getSigner());
          } else if (s == Section.ANSWER && (r.getType() == Type.DNSKEY
              || (r.getType() == Type.NS && r.getName().equals(e.qname())))) {
            zones.add(r.getName());
          }
        }
      }
    }
  }

  /** No zones known (e.g. answers injected by a STEP). */
  ServerZones() {}

  /**
   * Label count of the deepest zone of this server that contains {@code qname} (for DS: that
   * contains it and is not {@code qname} itself); -1 when none does.
   */
  int closeness(Name qname, boolean parentSide) {
    int best = -1;
    for (Name zone : zones) {
      if (qname.subdomain(zone) && !(parentSide && zone.equals(qname))) {
        best = Math.max(best, zone.labels());
      }
    }
    return best;
  }
}
