package io.dnssecproxy.validation;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Name;

/**
 * Domains the operator declared insecure (RFC 7646 negative trust anchors): answers at or below
 * them are not validated. The defaults keep cluster-internal and private names working, since
 * they are unsigned and often shadow or leak into public namespace. Immutable; the proxy swaps
 * in a new instance when the configuration changes.
 */
public final class NegativeTrustAnchors {

  /** Private and special-use names that never validate (RFC 6761, 6762, 8375, 6303). */
  public static final Set<String> DEFAULTS = defaultNames();

  private final Set<Name> domains;
  /** The domains' distinct top-level domains (or the root): most names are under none of them. */
  private final Name[] topLevels;
  private final Name[] list;

  private NegativeTrustAnchors(Set<Name> domains) {
    this.domains = Set.copyOf(domains);
    this.list = domains.toArray(new Name[0]);
    this.topLevels = domains.stream().map(d -> Names.suffix(d, 2)).distinct().toArray(Name[]::new);
  }

  public static NegativeTrustAnchors of(Collection<Name> domains) {
    Set<Name> s = new TreeSet<>();
    for (Name n : domains) {
      s.add(n.canonicalize());
    }
    return new NegativeTrustAnchors(s);
  }

  /** The defaults, with {@code clusterDomain} in place of cluster.local, plus the extra names. */
  public static NegativeTrustAnchors defaultsPlus(String clusterDomain, Collection<Name> extra) {
    Set<Name> s = new TreeSet<>();
    s.add(Names.parse(clusterDomain).canonicalize());
    for (String d : DEFAULTS) {
      s.add(Names.parse(d).canonicalize());
    }
    for (Name n : extra) {
      s.add(n.canonicalize());
    }
    return new NegativeTrustAnchors(s);
  }

  /**
   * True when {@code name} is at or below one of the domains. Asked for every query that is not a
   * cache hit, so it allocates nothing: {@link Name#subdomain} compares labels in place (ignoring
   * case), and a name outside every domain's top-level domain is turned away after a few checks.
   */
  public boolean covers(Name name) {
    for (Name top : topLevels) {
      if (name.subdomain(top)) {
        for (Name d : list) {
          if (name.subdomain(d)) {
            return true;
          }
        }
        return false;
      }
    }
    return false;
  }

  public Set<Name> domains() {
    return domains;
  }


  private static Set<String> defaultNames() {
    Set<String> s = new TreeSet<>();
    s.add("cluster.local.");
    s.add("local.");
    s.add("internal.");
    s.add("home.arpa.");
    s.add("localhost.");
    s.add("10.in-addr.arpa.");
    for (int i = 16; i <= 31; i++) {
      s.add(i + ".172.in-addr.arpa.");
    }
    s.add("168.192.in-addr.arpa.");
    s.add("254.169.in-addr.arpa.");
    s.add("127.in-addr.arpa.");
    s.add("d.f.ip6.arpa.");
    s.add("8.e.f.ip6.arpa.");
    s.add("9.e.f.ip6.arpa.");
    s.add("a.e.f.ip6.arpa.");
    s.add("b.e.f.ip6.arpa.");
    return Set.copyOf(s);
  }
}
