package io.dnssecproxy.lab;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/** Denial proofs from an NSEC3 chain (RFC 5155 section 7.2). */
final class Nsec3Proofs implements DenialProofs {

  private final Nsec3Params params;
  private final Name apex;
  private final TreeMap<byte[], RRset> byHash = new TreeMap<>(Nsec3Hash::compare);

  Nsec3Proofs(ZoneContent content, Nsec3Params params) {
    this.params = params;
    this.apex = content.apex();
    for (RRset rrset : content.allRRsets()) {
      if (rrset.getType() == Type.NSEC3) {
        byHash.put(Nsec3Hash.hashOfOwner(rrset.getName()), rrset);
      }
    }
  }

  @Override
  public List<RRset> noData(Name qname) {
    return List.of(matching(qname));
  }

  @Override
  public List<RRset> nameError(Name qname, Name closestEncloser) {
    return NsecProofs.distinct(
        matching(closestEncloser),
        covering(nextCloser(qname, closestEncloser)),
        covering(NsecProofs.wildcard(closestEncloser)));
  }

  @Override
  public List<RRset> wildcardAnswer(Name qname, Name closestEncloser) {
    return List.of(covering(nextCloser(qname, closestEncloser)));
  }

  @Override
  public List<RRset> wildcardNoData(Name qname, Name closestEncloser) {
    return NsecProofs.distinct(
        matching(closestEncloser),
        covering(nextCloser(qname, closestEncloser)),
        matching(NsecProofs.wildcard(closestEncloser)));
  }

  @Override
  public List<RRset> noDs(Name cut) {
    RRset exact = byHash.get(Nsec3Hash.hash(cut, params));
    if (exact != null) {
      return List.of(exact);
    }
    // Opt-out: the cut is not in the chain; prove the closest provable encloser and that the
    // next closer name falls in an opt-out span.
    Name encloser = new Name(cut, 1);
    while (!byHash.containsKey(Nsec3Hash.hash(encloser, params))) {
      encloser = new Name(encloser, 1);
    }
    return NsecProofs.distinct(matching(encloser), covering(nextCloser(cut, encloser)));
  }

  private RRset matching(Name name) {
    RRset rrset = byHash.get(Nsec3Hash.hash(name, params));
    if (rrset == null) {
      throw new IllegalStateException("no NSEC3 matches " + name + " in " + apex);
    }
    return rrset;
  }

  /** The NSEC3 whose span (owner hash, next hash) contains the name's hash, wrapping around. */
  private RRset covering(Name name) {
    Map.Entry<byte[], RRset> entry = byHash.lowerEntry(Nsec3Hash.hash(name, params));
    return entry != null ? entry.getValue() : byHash.lastEntry().getValue();
  }

  /** The ancestor of qname (or qname) that is one label longer than the closest encloser. */
  static Name nextCloser(Name qname, Name closestEncloser) {
    return new Name(qname, qname.labels() - closestEncloser.labels() - 1);
  }
}
