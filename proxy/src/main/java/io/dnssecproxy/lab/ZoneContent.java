package io.dnssecproxy.lab;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The RRsets of one zone, indexed by owner in DNSSEC canonical order (dnsjava's {@link
 * Name#compareTo} is that order), which makes NSEC chains and "covering" look-ups simple.
 *
 * <p>RRSIGs are stored inside the RRset they cover, never as RRsets of their own.
 */
public final class ZoneContent {

  private final Name apex;
  private final TreeMap<Name, Map<Integer, RRset>> nodes = new TreeMap<>();

  ZoneContent(Name apex) {
    this.apex = apex;
  }

  public Name apex() {
    return apex;
  }

  public void add(Record record) {
    if (!record.getName().subdomain(apex)) {
      throw new IllegalArgumentException(record.getName() + " is outside zone " + apex);
    }
    Map<Integer, RRset> node = nodes.computeIfAbsent(record.getName(), n -> new LinkedHashMap<>());
    RRset rrset = node.computeIfAbsent(record.getRRsetType(), t -> new RRset());
    if (record instanceof RRSIGRecord sig) {
      rrset.addRR(sig);
    } else {
      rrset.addRR(record);
    }
  }

  /** Replaces the RRset (records and signatures) with the same owner and type. */
  public void put(RRset rrset) {
    nodes.computeIfAbsent(rrset.getName(), n -> new LinkedHashMap<>())
        .put(rrset.getType(), rrset);
  }

  public RRset get(Name owner, int type) {
    Map<Integer, RRset> node = nodes.get(owner);
    return node == null ? null : node.get(type);
  }

  public void remove(Name owner, int type) {
    Map<Integer, RRset> node = nodes.get(owner);
    if (node != null) {
      node.remove(type);
      if (node.isEmpty()) {
        nodes.remove(owner);
      }
    }
  }

  public Collection<RRset> rrsets(Name owner) {
    Map<Integer, RRset> node = nodes.get(owner);
    return node == null ? List.of() : Collections.unmodifiableCollection(node.values());
  }

  public List<RRset> allRRsets() {
    List<RRset> all = new ArrayList<>();
    nodes.values().forEach(node -> all.addAll(node.values()));
    return all;
  }

  public NavigableSet<Name> owners() {
    return Collections.unmodifiableNavigableSet(nodes.navigableKeySet());
  }

  /** True when the owner holds at least one RRset. */
  public boolean hasData(Name owner) {
    return nodes.containsKey(owner);
  }

  /** True when the owner holds data or is an empty non-terminal above some data. */
  public boolean exists(Name owner) {
    if (nodes.containsKey(owner)) {
      return true;
    }
    // In canonical order every descendant sorts directly after its ancestor.
    Name next = nodes.higherKey(owner);
    return next != null && next.subdomain(owner);
  }

  /**
   * The delegation point at or above {@code name} (never the apex), or null when the name is in
   * the authoritative part of the zone.
   */
  public Name cutAtOrAbove(Name name) {
    int extra = name.labels() - apex.labels();
    for (int depth = extra - 1; depth >= 0; depth--) {
      Name candidate = new Name(name, depth);
      if (get(candidate, Type.NS) != null) {
        return candidate;
      }
    }
    return null;
  }

  /** True for names strictly below a delegation point: glue or occluded data. */
  public boolean isBelowCut(Name name) {
    Name cut = cutAtOrAbove(name);
    return cut != null && !cut.equals(name);
  }

  public Name lowerOwner(Name name) {
    return nodes.lowerKey(name);
  }
}
