package io.dnssecproxy.validation;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Builds the chain of trust down to a zone: from the closest trust anchor, one label at a time,
 * asking for DS (answered from the parent side) and, where a DS set exists, the child's DNSKEY
 * set. Stops at an insecure delegation, at a name that does not exist, or at the target.
 * Every step is cached in the {@link KeyCache}, failures included.
 */
final class KeyFinder {

  private final TrustAnchors anchors;
  private final Supplier<NegativeTrustAnchors> insecureDomains;
  private final KeyCache cache;
  private final KeySource source;
  private final SignatureVerifier verifier;
  private final ValidatorSettings settings;
  private final Clock wallClock;
  private final AnchorKeyWatch watch;

  KeyFinder(TrustAnchors anchors, Supplier<NegativeTrustAnchors> insecureDomains, KeyCache cache, KeySource source,
      SignatureVerifier verifier, ValidatorSettings settings, Clock wallClock, AnchorKeyWatch watch) {
    this.anchors = anchors;
    this.watch = watch;
    this.insecureDomains = insecureDomains;
    this.cache = cache;
    this.source = source;
    this.verifier = verifier;
    this.settings = settings;
    this.wallClock = wallClock;
  }

  /** The key entry that governs {@code target}: its own zone's keys, or an insecure/bogus ancestor. */
  Future<KeyEntry> find(Name target, ValidationContext ctx) {
    if (insecureDomains.get().covers(target)) {
      Verdict v = Verdict.insecure(target + " is under a configured insecure domain");
      ctx.trace.verdict(target, "negative trust anchor", v);
      return Future.succeededFuture(new KeyEntry.Insecure(target, v, Instant.MAX));
    }
    TrustAnchors.Anchor anchor = anchors.closestEnclosing(target);
    if (anchor == null) {
      Verdict v = Verdict.indeterminate("no trust anchor covers " + target);
      ctx.trace.verdict(target, "trust anchor", v);
      return Future.succeededFuture(new KeyEntry.Insecure(target, v, Instant.MAX));
    }
    // Start from the deepest cached entry between the anchor and the target. An entry may be
    // stored under a name inside its zone (see walk), which saves re-walking non-cut labels.
    for (Name n = target; ; n = Names.parent(n)) {
      KeyEntry e = cache.get(n);
      if (e != null) {
        if (ctx.trace.on()) {
          ctx.trace.add(e.zone(), "keys (cached)", e instanceof KeyEntry.Secure s ? TraceText.keys(s.keys()) : e.verdict().reasonText(),
              e instanceof KeyEntry.Secure ? Trace.Outcome.OK : e instanceof KeyEntry.Bogus ? Trace.Outcome.FAILED : Trace.Outcome.INSECURE);
        }
        return e instanceof KeyEntry.Secure s ? walk(s, n, target, ctx) : Future.succeededFuture(e);
      }
      if (n.equals(anchor.zone()) || n.labels() <= 1) {
        break;
      }
    }
    return prime(anchor, ctx).compose(e -> e instanceof KeyEntry.Secure s ? walk(s, s.zone(), target, ctx) : Future.succeededFuture(e));
  }

  /** Validates the anchor zone's DNSKEY set from the configured DS or DNSKEY anchors. */
  private Future<KeyEntry> prime(TrustAnchors.Anchor anchor, ValidationContext ctx) {
    Name zone = anchor.zone();
    ctx.trace.info(zone, "trust anchor", anchor.ds().isEmpty()
        ? "DNSKEY " + TraceText.keys(anchor.keys())
        : "DS " + TraceText.ds(anchor.ds()));
    ctx.budget.chargeSubQuery();
    return source.fetch(zone, Type.DNSKEY)
        .map(resp -> {
          KeyEntry e = anchor.ds().isEmpty()
              ? keysFromTrustedKeys(zone, anchor.keys(), resp, ctx)
              : keysFromDs(zone, anchor.ds(), minTtl(anchor.ds()), resp, ctx);
          if (e instanceof KeyEntry.Secure secure) {
            AnchorKeyWatch.Observation seen = watch.observe(anchor, secure.keys());
            if (!seen.clean()) {
              ctx.trace.info(zone, "trust anchor", TraceText.anchorKeys(seen));
            }
          }
          return remember(e);
        })
        .otherwise(err -> fetchFailed(zone, "DNSKEY", err));
  }

  /** One step down: is there a cut at the next label toward the target, and is it signed? */
  private Future<KeyEntry> walk(KeyEntry.Secure zone, Name position, Name target, ValidationContext ctx) {
    if (position.equals(target)) {
      if (!target.equals(zone.zone())) {
        cache.putAt(target, zone);
      }
      return Future.succeededFuture(zone);
    }
    Name next = Names.childToward(target, position);
    ctx.budget.chargeSubQuery();
    return source.fetch(next, Type.DS)
        .compose(resp -> stepDown(zone, next, target, resp, ctx), err -> Future.succeededFuture(fetchFailed(next, "DS", err)));
  }

  private Future<KeyEntry> stepDown(KeyEntry.Secure zone, Name next, Name target, Message resp, ValidationContext ctx) {
    int rcode = resp.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      return Future.succeededFuture(fetchFailed(next, "DS", new IllegalStateException("upstream answered " + Rcode.string(rcode))));
    }
    RRset ds = find(resp, Section.ANSWER, next, Type.DS);
    if (ds != null) {
      SignatureVerifier.Result r = verifier.verify(ds, zone.zone(), zone.keys(), ctx.now, ctx.budget);
      if (!r.secure()) {
        ctx.trace.verdict(next, "DS (signed by " + zone.zone() + ")", r.verdict());
        return Future.succeededFuture(remember(new KeyEntry.Bogus(next, r.verdict().within("DS for " + next), bogusExpiry())));
      }
      ctx.reliedOn(r.signature());
      List<DSRecord> dsRecords = new ArrayList<>();
      for (Record rec : ds.rrs()) {
        if (rec instanceof DSRecord d) {
          dsRecords.add(d); // an empty-RDATA record (dnsjava's EmptyRecord) is no DS
        }
      }
      ctx.trace.ok(next, "DS (signed by " + zone.zone() + ")", TraceText.ds(dsRecords) + "; " + TraceText.signature(r.signature()));
      ctx.budget.chargeSubQuery();
      return source.fetch(next, Type.DNSKEY)
          .map(keys -> remember(keysFromDs(next, dsRecords, ds.getTTL(), keys, ctx)))
          .otherwise(err -> fetchFailed(next, "DNSKEY", err))
          .compose(e -> e instanceof KeyEntry.Secure s ? walk(s, s.zone(), target, ctx) : Future.succeededFuture(e));
    }
    RRset alias = find(resp, Section.ANSWER, next, Type.CNAME);
    if (alias != null) {
      // An alias is not a zone cut, so the walk goes on in this zone, once the alias is proven.
      SignatureVerifier.Result r = verifier.verify(alias, zone.zone(), zone.keys(), ctx.now, ctx.budget);
      ctx.trace.verdict(zone.zone(), "CNAME at " + next + " (no zone cut)", r.verdict());
      if (!r.secure()) {
        return Future.succeededFuture(remember(new KeyEntry.Bogus(next, r.verdict().within("CNAME answering DS for " + next), bogusExpiry())));
      }
      return walk(zone, next, target, ctx);
    }
    DenialEvidence.DsProof proof =
        DenialEvidence.from(zone, resp, verifier, ctx, settings.nsec3IterationLimit()).dsAbsence(next, rcode == Rcode.NXDOMAIN);
    if (proof.failure() != null) {
      Verdict v = proof.failure().within("DS for " + next);
      ctx.trace.verdict(next, "DS (denial from " + zone.zone() + ")", proof.failure());
      KeyEntry e = v.isBogus() ? new KeyEntry.Bogus(next, v, bogusExpiry()) : new KeyEntry.Insecure(next, v, negativeExpiry(resp));
      return Future.succeededFuture(remember(e));
    }
    return switch (proof.absence()) {
      case INSECURE_DELEGATION -> {
        Verdict v = Verdict.insecure(next + " is an unsigned delegation from " + zone.zone());
        ctx.trace.add(next, "DS", "none: unsigned delegation, proven by " + TraceText.denial(resp, zone.zone()), Trace.Outcome.INSECURE);
        yield Future.succeededFuture(remember(new KeyEntry.Insecure(next, v, negativeExpiry(resp))));
      }
      case NO_CUT -> walk(zone, next, target, ctx);
      case NAME_ABSENT -> {
        ctx.trace.info(zone.zone(), "no zone below", next + " does not exist");
        cache.putAt(target, zone);
        yield Future.succeededFuture(zone);
      }
    };
  }

  /** Validates a DNSKEY response against a DS set the parent signed. */
  private KeyEntry keysFromDs(Name zone, List<DSRecord> dsSet, long dsTtl, Message resp, ValidationContext ctx) {
    AlgorithmPolicy policy = settings.algorithms();
    List<DSRecord> usable = new ArrayList<>();
    boolean algorithmKnown = false;
    for (DSRecord ds : dsSet) {
      if (policy.supportsAlgorithm(ds.getAlgorithm())) {
        algorithmKnown = true;
        if (policy.supportsDigest(ds.getDigestID())) {
          usable.add(ds);
        }
      }
    }
    if (usable.isEmpty()) {
      int ede = algorithmKnown ? Ede.UNSUPPORTED_DS_DIGEST : Ede.UNSUPPORTED_DNSKEY_ALGORITHM;
      String what = algorithmKnown ? "digest types" : "algorithms";
      Verdict v = Verdict.insecure(ede, "every DS for " + zone + " uses " + what + " this validator does not support");
      ctx.trace.verdict(zone, "DNSKEY", v);
      return new KeyEntry.Insecure(zone, v, expiry(ctx, dsTtl));
    }
    // Strongest digests first. Weaker ones are still tried when no stronger DS matches, as
    // Unbound does by default: a SHA-1 DS cannot be forged in practice, and rejecting it would
    // break zones whose SHA-256 DS is stale while the SHA-1 one is right. Hardened mode keeps
    // only the strongest digest type (RFC 4509 section 3).
    usable.sort(java.util.Comparator.comparingInt((DSRecord d) -> digestStrength(d.getDigestID())).reversed());
    if (settings.hardenAlgoDowngrade()) {
      int best = digestStrength(usable.get(0).getDigestID());
      usable.removeIf(d -> digestStrength(d.getDigestID()) < best);
    }
    RRset keySet = find(resp, Section.ANSWER, zone, Type.DNSKEY);
    if (keySet == null) {
      return new KeyEntry.Bogus(zone, Verdict.bogus(Ede.DNSKEY_MISSING, "no DNSKEY set for " + zone + " (" + Rcode.string(resp.getRcode()) + ")"), bogusExpiry());
    }
    List<DNSKEYRecord> keys = dnskeys(keySet);
    Verdict failure = null;
    SignatureVerifier.Result proof = null;
    java.util.Set<Integer> proven = new java.util.HashSet<>();
    for (DSRecord ds : usable) {
      if (proven.contains(ds.getAlgorithm())) {
        continue;
      }
      for (DNSKEYRecord key : keys) {
        if (key.getFootprint() != ds.getFootprint() || key.getAlgorithm() != ds.getAlgorithm()) {
          continue;
        }
        ctx.budget.chargeDigest();
        if (!digestMatches(ds, key)) {
          continue;
        }
        SignatureVerifier.Result r = verifier.verify(keySet, zone, List.of(key), ctx.now, ctx.budget);
        if (r.secure()) {
          proof = proof == null ? r : proof;
          proven.add(ds.getAlgorithm());
          break;
        }
        failure = failure == null ? r.verdict() : failure;
      }
      if (proof != null && !settings.hardenAlgoDowngrade()) {
        break; // one proven algorithm is enough unless hardened
      }
    }
    if (proof != null && settings.hardenAlgoDowngrade()) {
      for (DSRecord ds : usable) {
        if (!proven.contains(ds.getAlgorithm())) {
          proof = null;
          failure = Verdict.bogus(Ede.DNSKEY_MISSING, "DS algorithm " + ds.getAlgorithm() + " of " + zone
              + " has no DNSKEY that signs the key set (harden-algo-downgrade)");
          break;
        }
      }
    }
    if (proof != null) {
      ctx.reliedOn(proof.signature());
      ctx.trace.ok(zone, "DNSKEY", TraceText.keys(keys) + "; key " + proof.signature().getFootprint() + " matches the DS; "
          + TraceText.signature(proof.signature()));
      return new KeyEntry.Secure(zone, keys, expiry(ctx, Math.min(dsTtl, keySet.getTTL()), proof.signature().getExpire()));
    }
    if (failure == null) {
      failure = Verdict.bogus(Ede.DNSKEY_MISSING, "no DNSKEY of " + zone + " matches its DS records");
    }
    ctx.trace.verdict(zone, "DNSKEY " + TraceText.keys(keys), failure);
    return new KeyEntry.Bogus(zone, failure.within("DNSKEY set of " + zone), bogusExpiry());
  }

  /** Validates a DNSKEY response against DNSKEY trust anchors: one of them must sign the set. */
  private KeyEntry keysFromTrustedKeys(Name zone, List<DNSKEYRecord> trusted, Message resp, ValidationContext ctx) {
    RRset keySet = find(resp, Section.ANSWER, zone, Type.DNSKEY);
    if (keySet == null) {
      return new KeyEntry.Bogus(zone, Verdict.bogus(Ede.DNSKEY_MISSING, "no DNSKEY set for trust anchor " + zone), bogusExpiry());
    }
    List<DNSKEYRecord> usable = new ArrayList<>();
    for (DNSKEYRecord k : trusted) {
      if (settings.algorithms().supportsAlgorithm(k.getAlgorithm())) {
        usable.add(k);
      }
    }
    if (usable.isEmpty()) {
      return new KeyEntry.Insecure(zone, Verdict.insecure(Ede.UNSUPPORTED_DNSKEY_ALGORITHM,
          "every trust anchor for " + zone + " uses an algorithm this validator does not support"), expiry(ctx, keySet.getTTL()));
    }
    SignatureVerifier.Result r = verifier.verify(keySet, zone, usable, ctx.now, ctx.budget);
    if (!r.secure()) {
      ctx.trace.verdict(zone, "DNSKEY", r.verdict());
      return new KeyEntry.Bogus(zone, r.verdict().within("DNSKEY set of trust anchor " + zone), bogusExpiry());
    }
    ctx.reliedOn(r.signature());
    ctx.trace.ok(zone, "DNSKEY", TraceText.keys(dnskeys(keySet)) + "; signed by trusted key; " + TraceText.signature(r.signature()));
    return new KeyEntry.Secure(zone, dnskeys(keySet), expiry(ctx, keySet.getTTL(), r.signature().getExpire()));
  }

  /**
   * Marks a zone bogus for the bogus-key TTL, as if its keys had failed, and as hostile: until
   * then, queries below it are refused without being forwarded (see Validator#knownHostile).
   */
  void distrust(Name zone, Verdict why) {
    cache.putHostile(new KeyEntry.Bogus(zone, why, bogusExpiry()));
  }

  private KeyEntry remember(KeyEntry e) {
    cache.put(e);
    return e;
  }

  /** A failed fetch is not a proof of anything: bogus, but cached only briefly. */
  private KeyEntry fetchFailed(Name name, String what, Throwable err) {
    Verdict v = Verdict.bogus(Ede.DNSKEY_MISSING, "could not fetch " + what + " for " + name + ": " + err.getMessage());
    KeyEntry e = new KeyEntry.Bogus(name, v, wallClock.instant().plusSeconds(5));
    cache.put(e);
    return e;
  }

  private Instant bogusExpiry() {
    return wallClock.instant().plus(settings.bogusKeyTtl());
  }

  private Instant negativeExpiry(Message resp) {
    long ttl = 3600;
    for (RRset s : resp.getSectionRRsets(Section.AUTHORITY)) {
      ttl = Math.min(ttl, s.getTTL());
    }
    return wallClock.instant().plusSeconds(Math.max(ttl, 5));
  }

  private Instant expiry(ValidationContext ctx, long ttlSeconds) {
    Duration ttl = Duration.ofSeconds(Math.max(0, ttlSeconds));
    if (ttl.compareTo(settings.maxKeyTtl()) > 0) {
      ttl = settings.maxKeyTtl();
    }
    return wallClock.instant().plus(ttl);
  }

  /** TTL-bounded, and never beyond the signature that proved the keys (measured in validation time). */
  private Instant expiry(ValidationContext ctx, long ttlSeconds, Instant sigExpire) {
    Instant byTtl = expiry(ctx, ttlSeconds);
    Duration sigLeft = Duration.between(ctx.now, sigExpire);
    Instant bySig = wallClock.instant().plus(sigLeft.isNegative() ? Duration.ZERO : sigLeft);
    return byTtl.isBefore(bySig) ? byTtl : bySig;
  }

  /**
   * Preference among DS digest types: the higher the digest number, the stronger, as Unbound
   * ranks them (SHA-384 > GOST > SHA-256 > SHA-1). GOST only counts when it was enabled.
   */
  private static int digestStrength(int digestId) {
    return digestId;
  }

  private static long minTtl(List<DSRecord> ds) {
    long ttl = Long.MAX_VALUE;
    for (DSRecord d : ds) {
      ttl = Math.min(ttl, d.getTTL());
    }
    return ttl;
  }

  /** {@code ds} refers to {@code key}: same tag and algorithm, and the digest of the key. */
  static boolean dsMatches(DSRecord ds, DNSKEYRecord key) {
    return key.getFootprint() == ds.getFootprint() && key.getAlgorithm() == ds.getAlgorithm() && digestMatches(ds, key);
  }

  /** The digest {@code ds} holds is {@code key}'s; false for a digest type dnsjava cannot compute. */
  private static boolean digestMatches(DSRecord ds, DNSKEYRecord key) {
    try {
      return java.util.Arrays.equals(new DSRecord(key.getName(), ds.getDClass(), 0, ds.getDigestID(), key).getDigest(), ds.getDigest());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static List<DNSKEYRecord> dnskeys(RRset set) {
    List<DNSKEYRecord> keys = new ArrayList<>();
    for (Record r : set.rrs()) {
      if (r instanceof DNSKEYRecord k) {
        keys.add(k); // an empty-RDATA record (dnsjava's EmptyRecord) is no key
      }
    }
    return keys;
  }

  /** The RRset of {@code type} owned by {@code name} in a section, with its RRSIGs, or null. */
  static RRset find(Message msg, int section, Name name, int type) {
    for (RRset s : msg.getSectionRRsets(section)) {
      if (s.getType() == type && s.getName().equals(name)) {
        return s;
      }
    }
    return null;
  }
}
