package io.dnssecproxy.validation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/**
 * Compares each trust-anchor zone's validated DNSKEY set with the configured anchors, every time
 * the set is validated afresh. A sidecar does not track anchors itself (RFC 5011 needs state kept
 * for 30 days, and pods are short-lived and read-only), so a key rollover at an anchor zone is
 * the operator's to follow: a new KSK is published there weeks or months before it starts
 * signing, and this is where it shows, in time to update the anchors before the old key goes.
 */
public final class AnchorKeyWatch {

  /** DNSKEY flag of a key its owner has revoked (RFC 5011 section 2.1). */
  private static final int REVOKE = 0x0080;

  /**
   * One comparison.
   *
   * @param newKsks key tags of the KSKs (SEP flag, not revoked) in the zone's DNSKEY set that no
   *     configured anchor matches: a rollover under way, or anchors that were never right
   * @param unusedAnchors key tags of configured anchors that match no key in the set, or only a
   *     revoked one: harmless while another anchor validates the set, stale otherwise
   */
  public record Observation(Name zone, List<Integer> newKsks, List<Integer> unusedAnchors) {
    public Observation {
      newKsks = List.copyOf(newKsks);
      unusedAnchors = List.copyOf(unusedAnchors);
    }

    /** Every KSK is anchored and every anchor in use. */
    public boolean clean() {
      return newKsks.isEmpty() && unusedAnchors.isEmpty();
    }
  }

  private final Map<Name, Observation> latest = new ConcurrentHashMap<>();
  private volatile Consumer<Observation> onChange = o -> {};

  /**
   * Called with each observation that differs from the zone's previous one, and with the first
   * one when it is not clean: once per change, not once per key-cache refresh.
   */
  public void onChange(Consumer<Observation> listener) {
    this.onChange = listener;
  }

  /** The last comparison for {@code zone}, or null before its key set was first validated. */
  public Observation latest(Name zone) {
    return latest.get(zone);
  }

  /**
   * Records the comparison of {@code anchor} with the DNSKEY set it has just validated.
   * Synchronized so that two event loops priming the same anchor report one change once; it runs
   * once per key-cache refresh of an anchor zone, not per query.
   */
  public synchronized Observation observe(TrustAnchors.Anchor anchor, List<DNSKEYRecord> keySet) {
    Observation now = compare(anchor, keySet);
    Observation before = latest.put(anchor.zone(), now);
    if (before == null ? !now.clean() : !before.equals(now)) {
      onChange.accept(now);
    }
    return now;
  }

  static Observation compare(TrustAnchors.Anchor anchor, List<DNSKEYRecord> keySet) {
    TreeSet<Integer> newKsks = new TreeSet<>();
    for (DNSKEYRecord key : keySet) {
      if (isActiveKsk(key) && !anchored(anchor, key)) {
        newKsks.add(key.getFootprint());
      }
    }
    TreeSet<Integer> unused = new TreeSet<>();
    for (DSRecord ds : anchor.ds()) {
      if (keySet.stream().noneMatch(k -> !revoked(k) && KeyFinder.dsMatches(ds, k))) {
        unused.add(ds.getFootprint());
      }
    }
    for (DNSKEYRecord trusted : anchor.keys()) {
      if (keySet.stream().noneMatch(k -> !revoked(k) && sameKey(trusted, k))) {
        unused.add(trusted.getFootprint());
      }
    }
    return new Observation(anchor.zone(), new ArrayList<>(newKsks), new ArrayList<>(unused));
  }

  private static boolean isActiveKsk(DNSKEYRecord key) {
    int flags = key.getFlags();
    return (flags & DNSKEYRecord.Flags.SEP_KEY) != 0 && (flags & DNSKEYRecord.Flags.ZONE_KEY) != 0 && !revoked(key);
  }

  private static boolean revoked(DNSKEYRecord key) {
    return (key.getFlags() & REVOKE) != 0;
  }

  private static boolean anchored(TrustAnchors.Anchor anchor, DNSKEYRecord key) {
    return anchor.ds().stream().anyMatch(ds -> KeyFinder.dsMatches(ds, key))
        || anchor.keys().stream().anyMatch(trusted -> sameKey(trusted, key));
  }

  /** The same public key, whatever the flags say (revoking a key changes its flags, not the key). */
  private static boolean sameKey(DNSKEYRecord a, DNSKEYRecord b) {
    return a.getAlgorithm() == b.getAlgorithm() && Arrays.equals(a.getKey(), b.getKey());
  }
}
