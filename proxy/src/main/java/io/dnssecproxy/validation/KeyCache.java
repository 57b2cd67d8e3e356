package io.dnssecproxy.validation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Instant;
import org.xbill.DNS.Name;

/**
 * Validated DNSKEY sets, insecure proofs and bad keys, per zone. Bad keys are cached too (for a
 * short time, set by whoever creates the entry) so that a bogus zone is not fetched and
 * re-verified on every query. Expiry is checked against an injected clock on read.
 */
public final class KeyCache {

  private final Cache<Name, KeyEntry> entries;
  /** Zones that served KeyTrap-style data: queries below them are refused without asking. */
  private final Cache<Name, KeyEntry.Bogus> hostile;
  private final Clock clock;
  private final AggressiveNsec denials;

  public KeyCache(long maxEntries, Clock clock) {
    this.clock = clock;
    // maintenance on the caller's thread, as the proxy's other caches do: the default hands it
    // to the common fork-join pool, a thread to wake on the event loop's behalf
    this.entries = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
    this.hostile = Caffeine.newBuilder().maximumSize(1_000).executor(Runnable::run).build();
    this.denials = new AggressiveNsec(1000, 5_000, clock);
  }

  /** The validated NSEC spans of secure zones (RFC 8198), forgotten with the keys that proved them. */
  public AggressiveNsec denials() {
    return denials;
  }

  /** The live entry for exactly this zone, or null. */
  public KeyEntry get(Name zone) {
    KeyEntry e = entries.getIfPresent(zone);
    if (e == null) {
      return null;
    }
    if (!clock.instant().isBefore(e.expires())) {
      entries.invalidate(zone);
      return null;
    }
    return e;
  }

  public void put(KeyEntry entry) {
    entries.put(entry.zone(), entry);
  }

  /**
   * Records that {@code name}, a name inside {@code entry}'s zone, is governed by that zone, so
   * the next lookup below it need not ask for DS at every label again.
   */
  public void putAt(Name name, KeyEntry entry) {
    entries.put(name, entry);
  }

  /** Remembers a zone as hostile until the entry expires, besides storing the entry itself. */
  void putHostile(KeyEntry.Bogus entry) {
    entries.put(entry.zone(), entry);
    hostile.put(entry.zone(), entry);
  }

  /** The live hostile-zone entry at {@code name} or above it, or null. */
  KeyEntry.Bogus hostileAtOrAbove(Name name) {
    if (hostile.estimatedSize() == 0) {
      return null; // the usual case: no label walk
    }
    Instant now = clock.instant();
    for (int labels = name.labels(); labels >= 1; labels--) {
      Name n = labels == name.labels() ? name : new Name(name, name.labels() - labels);
      KeyEntry.Bogus e = hostile.getIfPresent(n);
      if (e != null) {
        if (now.isBefore(e.expires())) {
          return e;
        }
        hostile.invalidate(n);
      }
    }
    return null;
  }

  /** Forgets everything, e.g. after the trust anchors or insecure domains changed. */
  public void clear() {
    hostile.invalidateAll();
    entries.invalidateAll();
    denials.clear();
  }

  /** Forgets one zone's entry and the entries of the zones below it. */
  public void flush(Name zone) {
    entries.asMap().keySet().removeIf(n -> n.subdomain(zone));
    hostile.asMap().keySet().removeIf(n -> n.subdomain(zone));
    denials.clear(); // coarse, but a flush is rare and must not leave proofs behind
  }

  public long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }
}
