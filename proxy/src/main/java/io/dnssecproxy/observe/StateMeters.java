package io.dnssecproxy.observe;

import io.dnssecproxy.cache.ResponseCache;
import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.policy.ModeSwitch;
import io.dnssecproxy.validation.AnchorKeyWatch;
import io.dnssecproxy.validation.KeyCache;
import io.dnssecproxy.validation.NegativeTrustAnchors;
import io.dnssecproxy.validation.SignatureVerifier;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.xbill.DNS.Name;

/**
 * Meters read from live components at scrape time: cache sizes, the mode and insecure domains in
 * force, counts kept by the components themselves. Gauges hold their component strongly, because
 * a weakly held gauge silently turns into NaN; function counters (always weak in Micrometer) read
 * components the proxy itself keeps for its whole life.
 */
public final class StateMeters {

  private StateMeters() {}

  public static void bindCache(MeterRegistry registry, ResponseCache cache) {
    Gauge.builder("dnssec.proxy.cache.entries", cache, ResponseCache::size).strongReference(true)
        .description("Answers in the cache (fresh and kept for serve-stale)").register(registry);
    FunctionCounter.builder("dnssec.proxy.cache.evictions", cache, ResponseCache::evictions)
        .description("Answers evicted from the cache by size or age").register(registry);
  }

  public static void bindKeyCache(MeterRegistry registry, KeyCache keys) {
    Gauge.builder("dnssec.proxy.key.cache.entries", keys, KeyCache::size).strongReference(true)
        .description("Zones in the key cache (validated DNSKEY sets, insecure proofs, bad keys)").register(registry);
  }

  /** RRSIG checks by outcome: verified with crypto, found proven before, failed. */
  public static void bindSignatures(MeterRegistry registry, SignatureVerifier signatures) {
    for (SignatureVerifier.Check check : SignatureVerifier.Check.values()) {
      FunctionCounter.builder("dnssec.proxy.signatures", signatures, s -> s.count(check))
          .description("RRSIG checks: verified (crypto ran and proved it), proven_before (a proof of the same "
              + "signature, data and key was at hand), failed (crypto ran and did not prove it)")
          .tag("outcome", check.name().toLowerCase(Locale.ROOT)).register(registry);
    }
  }

  /**
   * Per trust-anchor zone, how its DNSKEY set, as last validated, compares with the configured
   * anchors (0 until the set is first validated). A KSK no anchor matches is a rollover to follow.
   */
  public static void bindAnchorKeys(MeterRegistry registry, AnchorKeyWatch watch, Collection<Name> zones) {
    for (Name zone : zones) {
      String tag = zone.toString();
      Gauge.builder("dnssec.proxy.trust.anchor.new.ksks", watch, w -> count(w.latest(zone), true)).strongReference(true)
          .description("KSKs in the anchor zone's validated DNSKEY set that no configured trust anchor matches: "
              + "a key rollover under way; add the new key to the trust anchors before the old one is withdrawn")
          .tag("zone", tag).register(registry);
      Gauge.builder("dnssec.proxy.trust.anchor.unused", watch, w -> count(w.latest(zone), false)).strongReference(true)
          .description("Configured trust anchors that match no key (or only a revoked one) in the zone's DNSKEY set")
          .tag("zone", tag).register(registry);
    }
  }

  private static int count(AnchorKeyWatch.Observation seen, boolean newKsks) {
    return seen == null ? 0 : (newKsks ? seen.newKsks() : seen.unusedAnchors()).size();
  }

  /** One gauge per mode, 1 for the one in force (the Prometheus info-metric pattern). */
  public static void bindMode(MeterRegistry registry, ModeSwitch mode) {
    for (Mode m : Mode.values()) {
      Gauge.builder("dnssec.proxy.mode", mode, s -> s.get() == m ? 1 : 0).strongReference(true)
          .description("1 for the mode in force (enforce or permissive)").tag("mode", m.tag()).register(registry);
    }
  }

  public static void bindInsecureDomains(MeterRegistry registry, Supplier<NegativeTrustAnchors> domains) {
    Gauge.builder("dnssec.proxy.insecure.domains", domains, d -> d.get().domains().size()).strongReference(true)
        .description("Domains not validated (negative trust anchors), defaults included").register(registry);
  }

  public static void bindEventLog(MeterRegistry registry, EventLog events) {
    FunctionCounter.builder("dnssec.proxy.events.suppressed", events, EventLog::suppressedTotal)
        .description("Validation log lines held back by the rate limit (their count is logged)").register(registry);
  }

  /** @param rejected how many policy files are currently refused (the last good policy is in force) */
  public static void bindPolicyDir(MeterRegistry registry, IntSupplier rejected) {
    Gauge.builder("dnssec.proxy.policy.files.rejected", rejected, IntSupplier::getAsInt).strongReference(true)
        .description("Policy directory files currently refused as invalid; alert when above 0").register(registry);
  }
}
