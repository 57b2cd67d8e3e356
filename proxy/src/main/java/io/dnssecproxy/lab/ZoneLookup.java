package io.dnssecproxy.lab;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Answers a question from one zone's data the way an authoritative server does (RFC 1034
 * 4.3.2 with the DNSSEC additions of RFC 4035 3.1 and RFC 5155 7.2).
 */
final class ZoneLookup {

  private final ZoneContent content;
  private final DenialProofs proofs;
  private final DenialProofs negativeProofs;

  /**
   * @param proofs proofs for referrals and wildcard answers
   * @param negativeProofs proofs for NXDOMAIN/NODATA (NONE to forge unprovable denials)
   */
  ZoneLookup(ZoneContent content, DenialProofs proofs, DenialProofs negativeProofs) {
    this.content = content;
    this.proofs = proofs;
    this.negativeProofs = negativeProofs;
  }

  ZoneAnswer lookup(Name qname, int qtype) {
    Name apex = content.apex();
    if (!qname.subdomain(apex)) {
      return new ZoneAnswer(ZoneAnswer.Kind.NOT_AUTHORITATIVE, Rcode.REFUSED,
          List.of(), List.of(), List.of(), null, false);
    }
    // Walk down from the apex: a zone cut or a DNAME on the way takes precedence.
    int below = qname.labels() - apex.labels();
    for (int strip = below; strip >= 0; strip--) {
      Name node = new Name(qname, strip);
      if (strip < below && content.get(node, Type.NS) != null) {
        if (strip == 0 && qtype == Type.DS) {
          return dsAtCut(node);
        }
        return referral(node);
      }
      RRset dname = content.get(node, Type.DNAME);
      if (dname != null && strip > 0) {
        return dnameRedirect(dname, qname);
      }
    }
    if (content.hasData(qname)) {
      RRset rrset = content.get(qname, qtype);
      if (rrset != null) {
        return positive(List.of(rrset), List.of(), false);
      }
      RRset cname = content.get(qname, Type.CNAME);
      if (cname != null) {
        return alias(List.of(cname), List.of(), cnameTarget(cname), false);
      }
      return noData(negativeProofs.noData(qname));
    }
    if (content.exists(qname)) {
      return noData(negativeProofs.noData(qname));
    }
    Name encloser = closestEncloser(qname);
    Name wildcard = NsecProofs.wildcard(encloser);
    if (content.hasData(wildcard)) {
      return fromWildcard(qname, qtype, encloser, wildcard);
    }
    return answer(ZoneAnswer.Kind.NXDOMAIN, Rcode.NXDOMAIN, List.of(),
        withSoa(negativeProofs.nameError(qname, encloser)), null, false);
  }

  private ZoneAnswer fromWildcard(Name qname, int qtype, Name encloser, Name wildcard) {
    RRset rrset = content.get(wildcard, qtype);
    if (rrset != null) {
      return positive(List.of(expand(rrset, qname)), proofs.wildcardAnswer(qname, encloser), true);
    }
    RRset cname = content.get(wildcard, Type.CNAME);
    if (cname != null) {
      RRset expanded = expand(cname, qname);
      return alias(List.of(expanded), proofs.wildcardAnswer(qname, encloser),
          cnameTarget(expanded), true);
    }
    return noData(negativeProofs.wildcardNoData(qname, encloser));
  }

  private ZoneAnswer dsAtCut(Name cut) {
    RRset ds = content.get(cut, Type.DS);
    if (ds != null) {
      return positive(List.of(ds), List.of(), false);
    }
    return noData(negativeProofs.noDs(cut));
  }

  private ZoneAnswer referral(Name cut) {
    RRset ns = content.get(cut, Type.NS);
    List<RRset> authority = new ArrayList<>();
    authority.add(RRsetSigner.unsigned(ns));
    RRset ds = content.get(cut, Type.DS);
    if (ds != null) {
      authority.add(ds);
    } else {
      authority.addAll(proofs.noDs(cut));
    }
    List<RRset> glue = new ArrayList<>();
    for (Record r : ns.rrs(false)) {
      Name host = ((NSRecord) r).getTarget();
      if (host.subdomain(cut)) {
        for (int type : new int[] {Type.A, Type.AAAA}) {
          RRset addresses = content.get(host, type);
          if (addresses != null) {
            glue.add(RRsetSigner.unsigned(addresses));
          }
        }
      }
    }
    return new ZoneAnswer(ZoneAnswer.Kind.REFERRAL, Rcode.NOERROR, List.of(), authority, glue,
        cut, false);
  }

  private ZoneAnswer dnameRedirect(RRset dname, Name qname) {
    DNAMERecord record = (DNAMERecord) dname.first();
    Name target;
    try {
      target = qname.fromDNAME(record);
    } catch (NameTooLongException e) {
      return answer(ZoneAnswer.Kind.ANSWER, Rcode.YXDOMAIN, List.of(dname), List.of(), null, false);
    }
    // The synthesized CNAME is unsigned: validators check it against the signed DNAME.
    RRset cname = new RRset(new CNAMERecord(qname, DClass.IN, record.getTTL(), target));
    return alias(List.of(dname, cname), List.of(), target, false);
  }

  private ZoneAnswer positive(List<RRset> answer, List<RRset> authority, boolean wildcard) {
    return answer(ZoneAnswer.Kind.ANSWER, Rcode.NOERROR, answer, authority, null, wildcard);
  }

  private ZoneAnswer alias(List<RRset> answer, List<RRset> authority, Name target,
      boolean wildcard) {
    ZoneAnswer.Kind kind =
        answer.get(0).getType() == Type.DNAME ? ZoneAnswer.Kind.DNAME : ZoneAnswer.Kind.CNAME;
    return answer(kind, Rcode.NOERROR, answer, authority, target, wildcard);
  }

  private ZoneAnswer noData(List<RRset> proof) {
    return answer(ZoneAnswer.Kind.NODATA, Rcode.NOERROR, List.of(), withSoa(proof), null, false);
  }

  private static ZoneAnswer answer(ZoneAnswer.Kind kind, int rcode, List<RRset> answer,
      List<RRset> authority, Name next, boolean wildcard) {
    return new ZoneAnswer(kind, rcode, answer, authority, List.of(), next, wildcard);
  }

  private List<RRset> withSoa(List<RRset> proof) {
    List<RRset> authority = new ArrayList<>();
    authority.add(content.get(content.apex(), Type.SOA));
    authority.addAll(proof);
    return authority;
  }

  private Name closestEncloser(Name qname) {
    Name candidate = new Name(qname, 1);
    while (!content.exists(candidate)) {
      candidate = new Name(candidate, 1);
    }
    return candidate;
  }

  private static Name cnameTarget(RRset cname) {
    return ((CNAMERecord) cname.first()).getTarget();
  }

  /** The wildcard RRset renamed to qname; RRSIGs keep their labels count, as on the wire. */
  private static RRset expand(RRset wildcard, Name qname) {
    RRset expanded = new RRset();
    for (Record r : wildcard.rrs(false)) {
      expanded.addRR(r.withName(qname));
    }
    for (RRSIGRecord sig : wildcard.sigs()) {
      expanded.addRR((RRSIGRecord) sig.withName(qname));
    }
    return expanded;
  }
}
