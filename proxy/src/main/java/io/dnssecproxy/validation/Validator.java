package io.dnssecproxy.validation;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The validator core: decides whether an upstream response is secure, insecure, bogus or
 * indeterminate. It follows the answer the way a client reads it (CNAME and DNAME links, each
 * validated in its own zone, then the data or the denial at the end of the chain) and asks
 * {@link KeyFinder} for each zone's keys. It does no I/O of its own: keys come from a
 * {@link KeySource}.
 */
public final class Validator {

  private static final int MAX_CHAIN = 12;

  private final KeyFinder keys;
  private final KeyCache keyCache;
  private final SignatureVerifier verifier;
  private final ValidatorSettings settings;
  private final Supplier<NegativeTrustAnchors> insecureDomains;
  private final Clock validationClock;
  private final Clock wallClock;
  private final AnchorKeyWatch anchorKeys = new AnchorKeyWatch();

  /**
   * @param validationClock the time signatures are checked against (pinned by --now)
   * @param wallClock real time, for cache expiry and the work budget's time limit
   */
  public Validator(ValidatorSettings settings, TrustAnchors anchors, Supplier<NegativeTrustAnchors> insecureDomains,
      KeyCache keyCache, KeySource source, Clock validationClock, Clock wallClock) {
    this.settings = settings;
    this.insecureDomains = insecureDomains;
    this.validationClock = validationClock;
    this.wallClock = wallClock;
    this.verifier = new SignatureVerifier(settings.algorithms(), settings.clockSkew());
    this.keyCache = keyCache;
    this.keys = new KeyFinder(anchors, insecureDomains, keyCache, source, verifier, settings, wallClock, anchorKeys);
  }

  /** How the anchor zones' DNSKEY sets compare with the configured trust anchors, as last validated. */
  public AnchorKeyWatch anchorKeys() {
    return anchorKeys;
  }

  /** The signature checker, for its counts. */
  public SignatureVerifier signatures() {
    return verifier;
  }

  /** Validates {@code response}, the upstream's answer to {@code qname}/{@code qtype}. */
  public Future<Validation> validate(Name qname, int qtype, Message response) {
    return validate(qname, qtype, response, Trace.OFF);
  }

  /** The same, recording every step into {@code trace} (for the chain-of-trust trace). */
  public Future<Validation> validate(Name qname, int qtype, Message response, Trace trace) {
    ValidationContext ctx = new ValidationContext(new WorkBudget(settings.budget(), wallClock), validationClock.instant(), trace);
    Future<Verdict> verdict;
    try {
      verdict = classify(qname, qtype, response, ctx);
    } catch (RuntimeException e) {
      verdict = Future.failedFuture(e);
    }
    return verdict
        .recover(err -> Future.succeededFuture(failure(err)))
        .map(v -> new Validation(v, v.isSecure() ? ResponseSanitizer.keepVerified(response, ctx) : response, ctx.earliestExpiry()));
  }

  private static Verdict failure(Throwable err) {
    if (err instanceof WorkBudget.ExhaustedException) {
      return Verdict.bogus(Ede.DNSSEC_BOGUS, err.getMessage());
    }
    return Verdict.bogus(Ede.OTHER, "validation failed: " + err);
  }

  private Future<Verdict> classify(Name qname, int qtype, Message response, ValidationContext ctx) {
    int rcode = response.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      return Future.succeededFuture(Verdict.indeterminate("upstream answered " + Rcode.string(rcode) + "; nothing to validate"));
    }
    if (insecureDomains.get().covers(qname)) {
      return Future.succeededFuture(Verdict.insecure(qname + " is under a configured insecure domain"));
    }
    if (qtype == Type.RRSIG) {
      // Signatures are not signed themselves: a query for them cannot be answered securely.
      return Future.succeededFuture(Verdict.insecure("RRSIG records cannot be validated on their own"));
    }
    return followChain(qname, qtype, response, ctx, qname, Verdict.secure(), new HashSet<>(), 0);
  }

  /**
   * Validates the answer for {@code sname}, the current name of the chain, then recurses on the
   * alias target or finishes with the data or the denial.
   */
  private Future<Verdict> followChain(Name qname, int qtype, Message response, ValidationContext ctx, Name sname,
      Verdict sofar, Set<Name> seen, int links) {
    List<RRset> answer = response.getSectionRRsets(Section.ANSWER);
    if (qtype == Type.ANY) {
      List<RRset> all = owned(answer, sname);
      if (!all.isEmpty()) {
        return validateAll(all, response, ctx).map(sofar::and);
      }
    }
    RRset data = pick(answer, sname, qtype);
    if (data != null) {
      return validateRrset(data, response, ctx).map(v -> sofar.and(v.within(() -> describe(data))));
    }
    if (links >= MAX_CHAIN || !seen.add(sname)) {
      // A loop or an absurdly long chain can never end in an answer: refuse it as a whole.
      return Future.succeededFuture(Verdict.bogus(Ede.OTHER,
          links >= MAX_CHAIN ? "alias chain longer than " + MAX_CHAIN + " links" : "alias chain loops at " + sname));
    }
    // A DNAME above the name comes first: the CNAME at the name is then its unsigned synthesis.
    RRset dname = dnameAbove(answer, sname);
    if (dname != null && qtype != Type.DNAME) {
      if (!(dname.first() instanceof DNAMERecord d)) {
        return Future.succeededFuture(malformed(dname));
      }
      Name target;
      try {
        target = sname.fromDNAME(d);
      } catch (NameTooLongException e) {
        return validateRrset(dname, response, ctx).map(v -> sofar.and(v.within(() -> describe(dname))));
      }
      Name synthesized = target;
      return validateRrset(dname, response, ctx)
          .compose(v -> {
            RRset synth = pick(answer, sname, Type.CNAME);
            if (synth != null && !(synth.first() instanceof CNAMERecord c && c.getTarget().equals(synthesized))) {
              return Future.succeededFuture(Verdict.bogus(Ede.DNSSEC_BOGUS, "CNAME at " + sname + " does not match the DNAME it claims to come from"));
            }
            return followChain(qname, qtype, response, ctx, synthesized, sofar.and(v.within(() -> describe(dname))), seen, links + 1);
          });
    }
    RRset cname = pick(answer, sname, Type.CNAME);
    if (cname != null && qtype != Type.CNAME) {
      if (!(cname.first() instanceof CNAMERecord c)) {
        return Future.succeededFuture(malformed(cname));
      }
      Name target = c.getTarget();
      return validateRrset(cname, response, ctx)
          .compose(v -> followChain(qname, qtype, response, ctx, target, sofar.and(v.within(() -> describe(cname))), seen, links + 1));
    }
    boolean nxdomain = response.getRcode() == Rcode.NXDOMAIN;
    return proveDenial(sname, qtype, nxdomain, response, ctx)
        .map(v -> sofar.and(v.within(() -> (nxdomain ? "NXDOMAIN " : "NODATA ") + sname + " " + Type.string(qtype))));
  }

  private Future<Verdict> validateAll(List<RRset> sets, Message response, ValidationContext ctx) {
    Future<Verdict> acc = Future.succeededFuture(Verdict.secure());
    for (RRset s : sets) {
      acc = acc.compose(sofar -> validateRrset(s, response, ctx).map(v -> sofar.and(v.within(() -> describe(s)))));
    }
    return acc;
  }

  /** Validates one RRset in the zone its RRSIG names; an unsigned one by the zone it lives in. */
  private Future<Verdict> validateRrset(RRset rrset, Message response, ValidationContext ctx) {
    Name owner = rrset.getName();
    Name signer = signerOf(rrset);
    if (signer == null) {
      // No usable RRSIG: fine in an insecure zone, bogus in a secure one.
      return keys.find(owner, ctx).map(entry -> {
        Verdict v = entry instanceof KeyEntry.Secure s
            ? Verdict.bogus(Ede.RRSIGS_MISSING, "no RRSIG in signed zone " + s.zone())
            : entry.verdict();
        if (ctx.trace.on()) {
          ctx.trace.verdict(entry.zone(), describe(rrset) + " (unsigned)", v);
        }
        return v;
      });
    }
    return keys.find(signer, ctx).map(entry -> {
      if (entry instanceof KeyEntry.Secure s) {
        return verifyInZone(rrset, signer, s, response, ctx);
      }
      if (ctx.trace.on()) {
        ctx.trace.verdict(entry.zone(), describe(rrset), entry.verdict());
      }
      return entry.verdict();
    });
  }

  private Verdict verifyInZone(RRset rrset, Name signer, KeyEntry.Secure zone, Message response, ValidationContext ctx) {
    if (!zone.zone().equals(signer)) {
      return Verdict.bogus(Ede.DNSKEY_MISSING, "RRSIG signer " + signer + " is not a zone apex (keys found for " + zone.zone() + ")");
    }
    SignatureVerifier.Result r = verifier.verify(rrset, zone.zone(), zone.keys(), ctx.now, ctx.budget);
    if (r.zoneHostile()) {
      // Fresh names in such a zone would each cost the full attempt cap again (measured: cached
      // queries fell to a sixth under such traffic); remember the zone as bogus and hostile, so
      // that questions below it are refused before they are forwarded (knownHostile).
      keys.distrust(zone.zone(), r.verdict().within("zone " + zone.zone() + " served KeyTrap-style signatures or keys"));
    }
    if (!r.secure()) {
      ctx.trace.verdict(zone.zone(), describe(rrset), r.verdict());
      return r.verdict();
    }
    ctx.reliedOn(r.signature());
    RRSIGRecord sig = r.signature();
    if (ctx.trace.on()) {
      ctx.trace.ok(zone.zone(), describe(rrset), TraceText.signature(sig) + ": " + TraceText.data(rrset));
    }
    int ownerLabels = SignatureVerifier.labelCount(rrset.getName());
    if (sig.getLabels() < ownerLabels && rrset.getType() == Type.DNAME) {
      return Verdict.bogus(Ede.DNSSEC_BOGUS, "DNAME synthesized from a wildcard, which RFC 4592 forbids");
    }
    if (sig.getLabels() < ownerLabels) {
      // Expanded from a wildcard: the name itself must be proven not to exist (RFC 4035 5.3.4).
      Name closestEncloser = Names.suffix(rrset.getName(), sig.getLabels() + 1);
      DenialEvidence evidence = DenialEvidence.from(zone, response, verifier, ctx, settings.nsec3IterationLimit());
      Verdict v = evidence.wildcardExpansion(rrset.getName(), closestEncloser);
      if (v.isSecure() && settings.aggressiveNsec() && evidence.holdsDenials() && rrset.getType() != Type.CNAME) {
        keyCache.denials().rememberWildcard(zone.zone(), Names.wildcardOf(closestEncloser), rrset,
            evidence.verifiedNsecSets(), evidence.verifiedNsec3Sets(), wildcardExpiry(rrset, evidence, ctx));
      }
      return v;
    }
    return Verdict.secure();
  }

  /** Proves NXDOMAIN or NODATA for {@code sname} from the authority section. */
  private Future<Verdict> proveDenial(Name sname, int qtype, boolean nxdomain, Message response, ValidationContext ctx) {
    Name zoneName = denialZone(response, sname);
    if (zoneName == null) {
      return keys.find(sname, ctx).map(entry -> entry instanceof KeyEntry.Secure s
          ? Verdict.bogus(Ede.NSEC_MISSING, "no signed SOA or NSEC/NSEC3 in a denial from signed zone " + s.zone())
          : entry.verdict());
    }
    return keys.find(zoneName, ctx).map(entry -> entry instanceof KeyEntry.Secure s
        ? denialInZone(sname, qtype, nxdomain, zoneName, s, response, ctx)
        : entry.verdict());
  }

  private Verdict denialInZone(Name sname, int qtype, boolean nxdomain, Name zoneName, KeyEntry.Secure zone,
      Message response, ValidationContext ctx) {
    if (!zone.zone().equals(zoneName)) {
      return Verdict.bogus(Ede.DNSKEY_MISSING, "denial signer " + zoneName + " is not a zone apex");
    }
    RRset soa = KeyFinder.find(response, Section.AUTHORITY, zoneName, Type.SOA);
    if (soa != null) {
      SignatureVerifier.Result r = verifier.verify(soa, zoneName, zone.keys(), ctx.now, ctx.budget);
      if (!r.secure()) {
        return r.verdict().within(zoneName + " SOA");
      }
      ctx.reliedOn(r.signature());
      ctx.verifiedAuthority(soa);
    }
    DenialEvidence evidence = DenialEvidence.from(zone, response, verifier, ctx, settings.nsec3IterationLimit());
    Verdict v;
    if (nxdomain && evidence.provesEmptyNonTerminal(sname)) {
      ctx.correctRcode(Rcode.NOERROR);
      v = evidence.nodata(sname, qtype);
    } else {
      v = nxdomain ? evidence.nxdomain(sname) : evidence.nodata(sname, qtype);
    }
    String subject = (nxdomain ? "NXDOMAIN proof for " : "NODATA proof for ") + sname + " " + Type.string(qtype);
    if (v.isSecure() && settings.aggressiveNsec() && soa != null && evidence.holdsDenials()) {
      keyCache.denials().remember(zoneName, soa, evidence.verifiedNsecSets(), evidence.verifiedNsec3Sets(), denialExpiry(soa, evidence, ctx));
    }
    if (v.isSecure()) {
      if (ctx.trace.on()) {
        ctx.trace.ok(zoneName, subject, TraceText.denial(response, zoneName));
      }
    } else {
      ctx.trace.verdict(zoneName, subject, v);
    }
    return v;
  }

  private java.time.Instant wildcardExpiry(RRset data, DenialEvidence evidence, ValidationContext ctx) {
    long ttl = data.getTTL();
    for (RRset s : evidence.verifiedNsecSets()) {
      ttl = Math.min(ttl, s.getTTL());
    }
    for (RRset s : evidence.verifiedNsec3Sets()) {
      ttl = Math.min(ttl, s.getTTL());
    }
    java.time.Instant byTtl = wallClock.instant().plusSeconds(ttl);
    java.time.Instant bySig = ctx.earliestExpiry() == null ? byTtl
        : wallClock.instant().plus(java.time.Duration.between(ctx.now, ctx.earliestExpiry()));
    return byTtl.isBefore(bySig) ? byTtl : bySig;
  }

  /** Wall-clock time until which remembered denial records stay usable: their TTL, and never past their signatures. */
  private java.time.Instant denialExpiry(RRset soa, DenialEvidence evidence, ValidationContext ctx) {
    long ttl = soa.getTTL();
    for (RRset s : evidence.verifiedNsecSets()) {
      ttl = Math.min(ttl, s.getTTL());
    }
    for (RRset s : evidence.verifiedNsec3Sets()) {
      ttl = Math.min(ttl, s.getTTL());
    }
    java.time.Instant byTtl = wallClock.instant().plusSeconds(ttl);
    if (ctx.earliestExpiry() == null) {
      return byTtl;
    }
    java.time.Instant bySig = wallClock.instant().plus(java.time.Duration.between(ctx.now, ctx.earliestExpiry()));
    return byTtl.isBefore(bySig) ? byTtl : bySig;
  }

  /**
   * The verdict for a question below a zone remembered as hostile (it served KeyTrap-style
   * signatures, so each fresh name would cost the full work budget again), or null. Such a
   * question needs no upstream round trip to end bogus: the caller may refuse it at once. A DS
   * question is about the parent side of its owner's cut, so it is judged from the parent.
   */
  public Verdict knownHostile(Name qname, int qtype) {
    if (insecureDomains.get().covers(qname)) {
      return null;
    }
    Name from = qtype == Type.DS && qname.labels() > 1 ? new Name(qname, 1) : qname;
    KeyEntry.Bogus zone = keyCache.hostileAtOrAbove(from);
    return zone == null ? null : zone.verdict();
  }

  /**
   * A secure response for the question built from NSEC/NSEC3 records (and wildcard RRsets) this
   * validator already proved (RFC 8198), also from records that expired at most {@code expiredBy}
   * ago (the makings of a stale answer, RFC 8767, which the caller marks stale); or null: then
   * the upstream must be asked. No I/O, no signature checks: the records were verified when they
   * were remembered.
   */
  public Validation fromProvenDenials(Name qname, int qtype, int dclass, java.time.Duration expiredBy) {
    AggressiveNsec.Proof p = provenDenial(qname, qtype, dclass, expiredBy);
    return p == null ? null : synthesized(p.toMessage(qname, qtype, dclass));
  }

  /**
   * The held records that prove the question's answer (see {@link #fromProvenDenials}), or
   * null; a caller that has already built the response for an identical proof can reuse it.
   */
  public AggressiveNsec.Proof provenDenial(Name qname, int qtype, int dclass, java.time.Duration expiredBy) {
    // The held records are of class IN (only IN is validated); they prove nothing about another class.
    if (!settings.aggressiveNsec() || dclass != DClass.IN || qtype == Type.DS || qtype == Type.RRSIG
        || insecureDomains.get().covers(qname)) {
      return null;
    }
    return keyCache.denials().prove(qname, qtype, expiredBy);
  }

  /** The validation of a response synthesized from held, validated records. */
  public static Validation synthesized(Message m) {
    return new Validation(SYNTHESIZED, m, AggressiveNsec.earliestSignature(m));
  }

  private static final Verdict SYNTHESIZED =
      new Verdict(SecurityStatus.SECURE, Ede.NONE, java.util.List.of("synthesized from validated NSEC/NSEC3 records (RFC 8198)"));

  /**
   * The zone a denial comes from: the owner of its SOA (signed or not: an unsigned SOA from a
   * zone proven insecure is normal), else the signer of its NSEC/NSEC3 records. After a CNAME
   * the authority section may hold records of several zones; the deepest one above the name
   * speaks for it. Whatever is claimed here is then checked against the chain of trust.
   */
  private static Name denialZone(Message response, Name sname) {
    Name soaOwner = null;
    Name signer = null;
    for (RRset s : response.getSectionRRsets(Section.AUTHORITY)) {
      int type = s.getType();
      if (type == Type.SOA && sname.subdomain(s.getName())) {
        soaOwner = deeper(soaOwner, s.getName());
      } else if (type == Type.NSEC || type == Type.NSEC3) {
        Name by = signerOf(s);
        if (by != null && sname.subdomain(by)) {
          signer = deeper(signer, by);
        }
      }
    }
    return soaOwner != null ? soaOwner : signer;
  }

  private static Name deeper(Name a, Name b) {
    return a == null || b.labels() > a.labels() ? b : a;
  }

  /** The signer named by the RRset's RRSIGs, if it is an ancestor-or-self of the owner. */
  static Name signerOf(RRset rrset) {
    for (RRSIGRecord sig : rrset.sigs()) {
      Name signer = sig.getSigner();
      boolean above = rrset.getType() == Type.DS ? Names.strictlyBelow(rrset.getName(), signer) : rrset.getName().subdomain(signer);
      if (sig.getTypeCovered() == rrset.getType() && above) {
        return signer;
      }
    }
    return null;
  }

  private static RRset pick(List<RRset> sets, Name name, int type) {
    for (RRset s : sets) {
      if (s.getType() == type && s.getName().equals(name)) {
        return s;
      }
    }
    return null;
  }

  private static List<RRset> owned(List<RRset> sets, Name name) {
    List<RRset> out = new ArrayList<>();
    for (RRset s : sets) {
      if (s.getName().equals(name)) {
        out.add(s);
      }
    }
    return out;
  }

  private static RRset dnameAbove(List<RRset> sets, Name name) {
    for (RRset s : sets) {
      if (s.getType() == Type.DNAME && Names.strictlyBelow(name, s.getName())) {
        return s;
      }
    }
    return null;
  }

  /** An alias with empty RDATA (dnsjava's EmptyRecord): found by fuzzing, it used to throw. */
  private static Verdict malformed(RRset s) {
    return Verdict.bogus(Ede.DNSSEC_BOGUS, describe(s) + " has no target (malformed RDATA)");
  }

  private static String describe(RRset s) {
    return s.getName() + " " + Type.string(s.getType());
  }
}
