package io.dnssecproxy.cache;

import io.dnssecproxy.validation.SecurityStatus;
import io.dnssecproxy.validation.Validation;
import java.time.Duration;
import java.time.Instant;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * How long an answer may be cached: the smallest record TTL, never past the earliest expiry of
 * the signatures that proved it, capped by configuration; negative answers per RFC 2308 (the
 * SOA's TTL and MINIMUM); bogus answers briefly; upstream failures not at all.
 */
public final class TtlPolicy {

  private final Duration maxTtl;
  private final Duration negativeMaxTtl;
  private final Duration bogusTtl;

  public TtlPolicy(Duration maxTtl, Duration negativeMaxTtl, Duration bogusTtl) {
    this.maxTtl = maxTtl;
    this.negativeMaxTtl = negativeMaxTtl;
    this.bogusTtl = bogusTtl;
  }

  /** Seconds to cache {@code v}, judged at validation time {@code validationNow}; 0 means do not cache. */
  public long ttlFor(Validation v, Instant validationNow) {
    if (v.verdict().status() == SecurityStatus.BOGUS) {
      return bogusTtl.getSeconds();
    }
    Message m = v.response();
    int rcode = m.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      return 0;
    }
    long ttl;
    if (isNegative(m)) {
      SOARecord soa = soa(m);
      if (soa == null) {
        return 0; // RFC 2308 section 5: no SOA, no negative caching
      }
      ttl = Math.min(Math.min(soa.getTTL(), soa.getMinimum()), negativeMaxTtl.getSeconds());
    } else {
      ttl = maxTtl.getSeconds();
      for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
        for (Record r : m.getSection(section)) {
          ttl = Math.min(ttl, r.getTTL());
        }
      }
    }
    if (v.signaturesExpire() != null) {
      long sigLeft = Duration.between(validationNow, v.signaturesExpire()).getSeconds();
      ttl = Math.min(ttl, Math.max(0, sigLeft));
    }
    return Math.max(0, ttl);
  }

  private static boolean isNegative(Message m) {
    return m.getRcode() == Rcode.NXDOMAIN || m.getSection(Section.ANSWER).isEmpty();
  }

  private static SOARecord soa(Message m) {
    for (Record r : m.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord soa) {
        return soa;
      }
    }
    return null;
  }
}
