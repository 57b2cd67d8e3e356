package io.dnssecproxy.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Replays the iteration the scenario was written for: starting at the configured stub or
 * forward server (or at a delegation learnt earlier in the run, like a resolver's cache),
 * it asks each server in turn, taking that server's first matching entry as testbound does,
 * and follows referrals via their glue until a server gives something other than a referral.
 *
 * <p>For DS questions it starts strictly above the name and stops at the referral to the name
 * itself, i.e. it asks the parent, as resolvers must. It gives up (returns null) when a server
 * has no matching entry, a referral leads nowhere known, or it loops; the caller then falls
 * back to ranking all entries.
 */
final class DelegationWalk {

  private static final Set<String> UNDERSTOOD_MATCH =
      Set.of("opcode", "qtype", "qname", "subdomain");
  private static final int MAX_HOPS = 16;

  private final Map<String, List<ReplaySource>> sourcesByAddress = new LinkedHashMap<>();
  private final Map<Name, List<String>> glueAnywhere = new LinkedHashMap<>();
  /** Zone -> server addresses: configured stubs/forwards plus delegations learnt so far. */
  private final Map<Name, List<String>> delegations = new ConcurrentHashMap<>();

  DelegationWalk(RplScenario scenario, List<ReplaySource> sources) {
    for (ReplaySource s : sources) {
      for (String address : s.range().addresses()) {
        sourcesByAddress.computeIfAbsent(normalizeAddress(address), a -> new ArrayList<>())
            .add(s);
      }
      for (int section = Section.ANSWER; section <= Section.ADDITIONAL; section++) {
        for (Record r : s.entry().section(section)) {
          String address = addressOf(r);
          if (address != null) {
            glueAnywhere.computeIfAbsent(r.getName(), n -> new ArrayList<>()).add(address);
          }
        }
      }
    }
    for (RplConfig.Clause clause : scenario.config().clauses()) {
      String addressKey = switch (clause.kind()) {
        case "stub-zone" -> "stub-addr";
        case "forward-zone" -> "forward-addr";
        default -> null;
      };
      Name zone = null;
      List<String> addresses = new ArrayList<>();
      for (Map.Entry<String, String> option : clause.options()) {
        if (option.getKey().equals("name")) {
          zone = parseName(option.getValue());
        } else if (option.getKey().equals(addressKey)) {
          addresses.add(normalizeAddress(option.getValue()));
        }
      }
      if (zone != null && !addresses.isEmpty()) {
        delegations.put(zone, List.copyOf(addresses));
      }
    }
  }

  /**
   * Where the walk ended: the entry, the path taken (for traces), and what the entry means
   * there (a "referral" to the server's own zone is an unproven NODATA).
   */
  record End(ReplaySource source, String path, EntryKind kind) {}

  End walk(Name qname, int qtype, int step) {
    boolean ds = qtype == Type.DS;
    Name zone = closestKnownZone(qname, ds);
    if (zone == null) {
      return null;
    }
    List<String> servers = delegations.get(zone);
    StringBuilder path = new StringBuilder("walk ").append(zone);
    for (int hop = 0; hop < MAX_HOPS; hop++) {
      ReplaySource source = firstMatch(servers, qname, qtype, step);
      if (source == null) {
        return null;
      }
      RplEntry e = source.entry();
      EntryKind kind = EntryKind.of(e.rcode(), e.section(Section.ANSWER),
          e.section(Section.AUTHORITY));
      if (kind != EntryKind.REFERRAL) {
        return new End(source, path.toString(), kind);
      }
      Name cut = delegationName(e);
      if (cut == null || !qname.subdomain(cut)) {
        return null;
      }
      if (cut.labels() <= zone.labels()) {
        // NS for the zone we are already in: no delegation, so an (unproven) NODATA.
        return new End(source, path.toString(), EntryKind.NEGATIVE);
      }
      if (ds && cut.equals(qname)) {
        // The parent's referral to the name itself: the DS answer is in it (or denied by it).
        return new End(source, path.toString(), EntryKind.REFERRAL);
      }
      List<String> next = addressesOf(e, cut);
      if (next.isEmpty()) {
        return null;
      }
      delegations.put(cut, next);
      zone = cut;
      servers = next;
      path.append(" > ").append(cut);
    }
    return null;
  }

  private Name closestKnownZone(Name qname, boolean strictlyAbove) {
    Name best = null;
    for (Name zone : delegations.keySet()) {
      if (qname.subdomain(zone) && !(strictlyAbove && zone.equals(qname))
          && (best == null || zone.labels() > best.labels())) {
        best = zone;
      }
    }
    return best;
  }

  /** Testbound's rule: the first entry (in file order) of the server that matches. */
  private ReplaySource firstMatch(List<String> servers, Name qname, int qtype, int step) {
    ReplaySource outOfRange = null;
    for (String server : servers) {
      for (ReplaySource s : sourcesByAddress.getOrDefault(server, List.of())) {
        if (matches(s.entry(), qname, qtype)) {
          if (s.range().covers(step)) {
            return s;
          }
          if (outOfRange == null) {
            outOfRange = s;
          }
        }
      }
    }
    // Entries of other step windows stand in for the recursive resolver's cache.
    return outOfRange;
  }

  /** Entries whose MATCH needs things the harness cannot see are never used. */
  static boolean understood(RplEntry e) {
    return e.question() != null && UNDERSTOOD_MATCH.containsAll(e.match());
  }

  static boolean matches(RplEntry e, Name qname, int qtype) {
    Set<String> match = e.match();
    if (!understood(e)) {
      return false;
    }
    if (match.contains("qname") && !qname.equals(e.qname())) {
      return false;
    }
    if (match.contains("subdomain") && !qname.subdomain(e.qname())) {
      return false;
    }
    return !match.contains("qtype") || qtype == e.qtype();
  }

  private static Name delegationName(RplEntry e) {
    for (Record r : e.section(Section.AUTHORITY)) {
      if (r.getType() == Type.NS) {
        return r.getName();
      }
    }
    return null;
  }

  /** Addresses of the referral's name servers that the scenario has a server for. */
  private List<String> addressesOf(RplEntry referral, Name cut) {
    List<String> found = new ArrayList<>();
    for (Record r : referral.section(Section.AUTHORITY)) {
      if (!(r instanceof NSRecord ns) || !ns.getName().equals(cut)) {
        continue;
      }
      List<String> candidates = new ArrayList<>();
      for (Record glue : referral.section(Section.ADDITIONAL)) {
        String address = addressOf(glue);
        if (address != null && glue.getName().equals(ns.getTarget())) {
          candidates.add(address);
        }
      }
      candidates.addAll(glueAnywhere.getOrDefault(ns.getTarget(), List.of()));
      for (String address : candidates) {
        if (sourcesByAddress.containsKey(address) && !found.contains(address)) {
          found.add(address);
        }
      }
    }
    return found;
  }

  private static String addressOf(Record r) {
    if (r instanceof ARecord a) {
      return a.getAddress().getHostAddress();
    }
    if (r instanceof AAAARecord aaaa) {
      return aaaa.getAddress().getHostAddress();
    }
    return null;
  }

  /** "1.2.3.4", "1.2.3.4@53" and the like, compared as the bare address. */
  private static String normalizeAddress(String text) {
    String address = text.strip();
    int at = address.indexOf('@');
    if (at >= 0) {
      address = address.substring(0, at);
    }
    // Only literals are canonicalised (so "::1" and "0:0::1" agree); never a name lookup.
    if (address.matches("[0-9a-fA-F:.]+")) {
      try {
        return java.net.InetAddress.getByName(address).getHostAddress().toLowerCase(Locale.ROOT);
      } catch (java.net.UnknownHostException e) {
        // Not a literal after all; compare as written.
      }
    }
    return address.toLowerCase(Locale.ROOT);
  }

  private static Name parseName(String text) {
    try {
      return Name.fromString(text.strip(), Name.root);
    } catch (TextParseException e) {
      return null;
    }
  }
}
