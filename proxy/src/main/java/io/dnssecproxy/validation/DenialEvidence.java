package io.dnssecproxy.validation;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The NSEC or NSEC3 records of a response's authority section, each RRset verified against the
 * zone's keys, and the proofs that can be drawn from them. A denial RRset that fails to verify
 * makes the whole evidence bogus: a forger must not get to pick which records count.
 */
final class DenialEvidence {

  /**
   * The most NSEC/NSEC3 RRsets of one zone a response may bring. The largest proof, an NSEC3
   * NXDOMAIN or wildcard NODATA, takes three (RFC 5155 section 7.2); a DS denial under opt-out two.
   */
  static final int MAX_DENIAL_RRSETS = 8;

  private final List<NSECRecord> nsecs = new ArrayList<>();
  /** The verified NSEC RRsets with their signatures, for aggressive reuse (RFC 8198). */
  private final List<RRset> nsecSets = new ArrayList<>();
  private final List<NSEC3Record> nsec3s = new ArrayList<>();
  /** The verified NSEC3 RRsets with their signatures, for aggressive reuse (RFC 8198). */
  private final List<RRset> nsec3Sets = new ArrayList<>();
  /** One per distinct NSEC3 parameter set: a zone mid-way through a parameter change has two. */
  private final List<Nsec3Proofs> nsec3Groups = new ArrayList<>();
  private final Verdict failure;
  private final int iterationLimit;
  private final Name zoneName;

  private DenialEvidence(KeyEntry.Secure zone, Message response, SignatureVerifier verifier, ValidationContext ctx, int iterationLimit) {
    this.iterationLimit = iterationLimit;
    this.zoneName = zone.zone();
    List<RRset> candidates = new ArrayList<>();
    for (RRset rrset : response.getSectionRRsets(Section.AUTHORITY)) {
      int type = rrset.getType();
      if (type != Type.NSEC && type != Type.NSEC3) {
        continue;
      }
      Name signer = Validator.signerOf(rrset);
      if (!rrset.getName().subdomain(zone.zone()) || (signer != null && !signer.equals(zone.zone()))) {
        continue; // another zone's proof (a parent's or a child's, after a CNAME): not this zone's to use
      }
      candidates.add(rrset);
    }
    Verdict bad = null;
    if (candidates.size() > MAX_DENIAL_RRSETS) {
      // No proof needs this many; verifying them all is the attack (CVE-2023-50868), so none is.
      bad = Verdict.bogus(Ede.DNSSEC_BOGUS, candidates.size() + " NSEC/NSEC3 RRsets from " + zone.zone()
          + " in one response (at most " + MAX_DENIAL_RRSETS + " are considered)");
      candidates.clear();
    }
    for (RRset rrset : candidates) {
      int type = rrset.getType();
      SignatureVerifier.Result r = verifier.verify(rrset, zone.zone(), zone.keys(), ctx.now, ctx.budget);
      if (!r.secure()) {
        bad = bad == null ? r.verdict().within(rrset.getName() + " " + Type.string(type)) : bad;
        continue;
      }
      if (r.signature().getLabels() < SignatureVerifier.labelCount(rrset.getName())) {
        continue; // an NSEC expanded from a wildcard has no real owner: it proves nothing (CVE-2017-15105)
      }
      ctx.reliedOn(r.signature());
      ctx.verifiedAuthority(rrset);
      if (type == Type.NSEC) {
        nsecSets.add(rrset);
      } else {
        nsec3Sets.add(rrset);
      }
      for (Record rec : rrset.rrs()) {
        if (rec instanceof NSECRecord n) {
          if (n.getNext().subdomain(zone.zone())) {
            nsecs.add(n); // a next name outside the zone would "cover" other zones' names
          }
        } else if (rec instanceof NSEC3Record n3) {
          nsec3s.add(n3);
        }
      }
    }
    this.failure = bad;
    java.util.Map<String, List<NSEC3Record>> byParams = new java.util.LinkedHashMap<>();
    for (NSEC3Record r : nsec3s) {
      String key = r.getHashAlgorithm() + "/" + r.getIterations() + "/" + java.util.HexFormat.of().formatHex(r.getSalt() == null ? new byte[0] : r.getSalt());
      byParams.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    for (List<NSEC3Record> group : byParams.values()) {
      Nsec3Proofs proofs = new Nsec3Proofs(zone.zone(), group, ctx.budget);
      if (!proofs.isEmpty()) {
        nsec3Groups.add(proofs);
      }
    }
  }

  static DenialEvidence from(KeyEntry.Secure zone, Message response, SignatureVerifier verifier, ValidationContext ctx, int iterationLimit) {
    return new DenialEvidence(zone, response, verifier, ctx, iterationLimit);
  }

  List<RRset> verifiedNsecSets() {
    return nsecSets;
  }

  /**
   * The verified NSEC3 RRsets, when they are all of one parameter set within the iteration
   * limit (else none: a chain mid-change or too costly to hash is not worth holding).
   */
  List<RRset> verifiedNsec3Sets() {
    if (nsec3Groups.size() != 1 || nsec3Groups.get(0).iterationsAboveLimit(iterationLimit)) {
      return List.of();
    }
    return nsec3Sets;
  }

  /** Whether any verified records are worth holding for aggressive use. */
  boolean holdsDenials() {
    return !nsecSets.isEmpty() || !verifiedNsec3Sets().isEmpty();
  }

  /** Common preconditions; null when the proofs may be evaluated. */
  private Verdict precheck(Name name) {
    if (failure != null) {
      return failure.within("denial for " + name);
    }
    if (nsecs.isEmpty() && nsec3s.isEmpty()) {
      return Verdict.bogus(Ede.NSEC_MISSING, "no signed NSEC or NSEC3 records deny " + name);
    }
    if (nsecs.isEmpty() && nsec3Groups.isEmpty()) {
      return Verdict.bogus(Ede.NSEC_MISSING, "no usable NSEC3 records (unknown hash or wrong zone) deny " + name);
    }
    for (Nsec3Proofs g : nsec3Groups) {
      if (nsecs.isEmpty() && g.iterationsAboveLimit(iterationLimit)) {
        return Verdict.insecure(Ede.UNSUPPORTED_NSEC3_ITERATIONS,
            "NSEC3 with " + g.iterations() + " iterations, above the limit of " + iterationLimit + " (RFC 9276)");
      }
    }
    return null;
  }

  Verdict nxdomain(Name qname) {
    Verdict pre = precheck(qname);
    if (pre != null) {
      return pre;
    }
    return nsecs.isEmpty()
        ? firstProof(g -> g.nxdomain(qname))
        : nsecThenNsec3(NsecProofs.nxdomain(qname, nsecs), g -> g.nxdomain(qname));
  }

  /**
   * True when signed NSEC records show {@code qname} to be an empty non-terminal: some servers
   * answer NXDOMAIN for those, which the proof then corrects to NODATA.
   */
  boolean provesEmptyNonTerminal(Name qname) {
    if (failure != null || nsecs.isEmpty()) {
      return false;
    }
    NSECRecord cover = NsecProofs.covering(nsecs, qname);
    return cover != null && Names.strictlyBelow(cover.getNext(), qname);
  }

  Verdict nodata(Name qname, int qtype) {
    Verdict pre = precheck(qname);
    if (pre != null) {
      return pre;
    }
    Verdict contradiction = nsec3Contradiction(qname, qtype);
    if (contradiction != null) {
      return contradiction;
    }
    return nsecs.isEmpty()
        ? firstProof(g -> g.nodata(qname, qtype))
        : nsecThenNsec3(NsecProofs.nodata(qname, qtype, nsecs), g -> g.nodata(qname, qtype));
  }

  Verdict wildcardExpansion(Name qname, Name closestEncloser) {
    Verdict pre = precheck(qname);
    if (pre != null) {
      return pre;
    }
    return nsecs.isEmpty()
        ? firstProof(g -> g.wildcardExpansion(qname, closestEncloser))
        : NsecProofs.wildcardExpansion(qname, closestEncloser, nsecs);
  }

  /**
   * What a "no DS" answer proves about {@code name}. Returns the absence kind, or a verdict
   * (insecure for high NSEC3 iterations, bogus for no proof) wrapped in {@link DsProof}.
   */
  DsProof dsAbsence(Name name, boolean nxdomain) {
    Verdict pre = precheck(name);
    if (pre != null) {
      return new DsProof(null, pre);
    }
    DsAbsence a = null;
    if (nsecs.isEmpty()) {
      for (Nsec3Proofs g : nsec3Groups) {
        a = a != null ? a : g.dsAbsence(name, nxdomain);
      }
    } else {
      a = NsecProofs.dsAbsence(name, nsecs);
    }
    return a == null
        ? new DsProof(null, Verdict.bogus(Ede.NSEC_MISSING, "no valid proof that " + name + " has no DS"))
        : new DsProof(a, null);
  }

  /** The first parameter group whose proof holds (or is insecure), else the first group's failure. */
  private Verdict firstProof(java.util.function.Function<Nsec3Proofs, Verdict> proof) {
    Verdict first = null;
    for (Nsec3Proofs g : nsec3Groups) {
      Verdict v = proof.apply(g);
      if (!v.isBogus()) {
        return v;
      }
      if (v.ede() != Ede.NSEC_MISSING) {
        return v; // a signed record contradicts the denial: that is proof of forgery, not a gap
      }
      first = first == null ? v : first;
    }
    if (nsec3Groups.size() > 1) {
      // Signed NSEC3 records of several parameter sets, none complete on its own: the zone is
      // between two chains (an NSEC3PARAM change). Nothing is proven either way, so insecure, as
      // Unbound's scenarios expect. The cost: records replayed from a retired chain, while
      // their signatures last, can turn a bogus denial into an insecure one, never a secure one.
      return Verdict.insecure("NSEC3 records of " + nsec3Groups.size() + " parameter sets, none a complete proof on its own");
    }
    return first;
  }

  /**
   * With several NSEC3 parameter sets, a record of one set may show the name, or a wildcard
   * above it, holding the very data a NODATA denies: proof of a forged denial, whatever the
   * other sets say. Null when there is none (or only one set, which nodata() judges itself).
   */
  private Verdict nsec3Contradiction(Name qname, int qtype) {
    if (nsec3Groups.size() < 2) {
      return null;
    }
    for (Name n = qname; n.subdomain(zoneName) && !n.equals(zoneName); n = Names.parent(n)) {
      Name wildcard = Names.wildcardOf(Names.parent(n));
      for (Nsec3Proofs g : nsec3Groups) {
        if (g.assertsData(n, qtype) || (wildcard != null && g.assertsData(wildcard, qtype))) {
          return Verdict.bogus(Ede.DNSSEC_BOGUS, "an NSEC3 record shows " + Type.string(qtype) + " or CNAME data that the denial of " + qname + " hides");
        }
      }
    }
    return null;
  }

  /** NSEC first; when it proves nothing and signed NSEC3 records are there too, those (a zone migrating between the two). */
  private Verdict nsecThenNsec3(Verdict nsecVerdict, java.util.function.Function<Nsec3Proofs, Verdict> proof) {
    return nsecVerdict.isBogus() && !nsec3Groups.isEmpty() ? firstProof(proof) : nsecVerdict;
  }

  /** Either what was proven or why nothing was. */
  record DsProof(DsAbsence absence, Verdict failure) {}
}
