package io.dnssecproxy.lab;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/** Denial proofs from an NSEC chain (RFC 4035 section 3.1.3). */
final class NsecProofs implements DenialProofs {

  private final ZoneContent content;

  NsecProofs(ZoneContent content) {
    this.content = content;
  }

  @Override
  public List<RRset> noData(Name qname) {
    RRset at = content.get(qname, Type.NSEC);
    // An empty non-terminal has no NSEC of its own; the one before it covers it.
    return List.of(at != null ? at : covering(qname));
  }

  @Override
  public List<RRset> nameError(Name qname, Name closestEncloser) {
    return distinct(covering(qname), covering(wildcard(closestEncloser)));
  }

  @Override
  public List<RRset> wildcardAnswer(Name qname, Name closestEncloser) {
    return List.of(covering(qname));
  }

  @Override
  public List<RRset> wildcardNoData(Name qname, Name closestEncloser) {
    return distinct(covering(qname), content.get(wildcard(closestEncloser), Type.NSEC));
  }

  @Override
  public List<RRset> noDs(Name cut) {
    return List.of(content.get(cut, Type.NSEC));
  }

  /** The NSEC whose owner is the last one sorting before {@code name}. */
  private RRset covering(Name name) {
    for (Name owner = content.lowerOwner(name); owner != null; owner = content.lowerOwner(owner)) {
      RRset nsec = content.get(owner, Type.NSEC);
      if (nsec != null) {
        return nsec;
      }
    }
    throw new IllegalStateException("no NSEC before " + name + " in " + content.apex());
  }

  static Name wildcard(Name encloser) {
    try {
      return Name.concatenate(WILDCARD_LABEL, encloser);
    } catch (org.xbill.DNS.NameTooLongException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static final Name WILDCARD_LABEL = Name.fromConstantString("*");

  static List<RRset> distinct(RRset... rrsets) {
    List<RRset> out = new ArrayList<>();
    for (RRset r : rrsets) {
      if (r != null && out.stream().noneMatch(o -> o.getName().equals(r.getName()))) {
        out.add(r);
      }
    }
    return out;
  }
}
