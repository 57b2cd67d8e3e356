package io.dnssecproxy.validation;

import java.time.Instant;
import java.util.List;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;

/**
 * What the validator knows about one zone's keys: a validated DNSKEY set, a proof that the zone
 * is unsigned, or the reason its keys could not be trusted. Cached until {@link #expires()}.
 */
public sealed interface KeyEntry {

  Name zone();

  /** Wall-clock time after which the entry must not be used. */
  Instant expires();

  /** What this entry means for data in its zone. */
  Verdict verdict();

  /** The zone's DNSKEY set, validated from a trust anchor. */
  record Secure(Name zone, List<DNSKEYRecord> keys, Instant expires) implements KeyEntry {
    public Secure {
      keys = List.copyOf(keys);
    }

    @Override
    public Verdict verdict() {
      return Verdict.secure();
    }
  }

  /** The zone is provably outside signed space (or no anchor covers it: {@code verdict} says which). */
  record Insecure(Name zone, Verdict verdict, Instant expires) implements KeyEntry {}

  /** The zone's keys failed validation; everything below inherits this verdict for a short while. */
  record Bogus(Name zone, Verdict verdict, Instant expires) implements KeyEntry {}
}
