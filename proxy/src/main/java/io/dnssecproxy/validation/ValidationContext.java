package io.dnssecproxy.validation;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * The state of one validation: its work budget, the validation time (which --now may pin) and
 * the earliest expiry among the signatures it relied on, which bounds how long the answer may
 * be cached.
 */
final class ValidationContext {

  final WorkBudget budget;
  final Instant now;
  final Trace trace;
  private Instant earliestExpiry;
  private int correctedRcode = -1;
  private final Set<String> verifiedAuthority = new HashSet<>();

  ValidationContext(WorkBudget budget, Instant now, Trace trace) {
    this.budget = budget;
    this.now = now;
    this.trace = trace;
  }

  void reliedOn(RRSIGRecord sig) {
    if (sig != null && (earliestExpiry == null || sig.getExpire().isBefore(earliestExpiry))) {
      earliestExpiry = sig.getExpire();
    }
  }

  /** Notes an authority-section RRset that was verified, so a secure answer may keep it. */
  void verifiedAuthority(RRset rrset) {
    verifiedAuthority.add(key(rrset.getName(), rrset.getType()));
  }

  boolean isVerifiedAuthority(RRset rrset) {
    return verifiedAuthority.contains(key(rrset.getName(), rrset.getType()));
  }

  private static String key(Name name, int type) {
    return name.toString() + "/" + type;
  }

  /** A proven correction of the upstream's rcode (NXDOMAIN for an empty non-terminal). */
  void correctRcode(int rcode) {
    correctedRcode = rcode;
  }

  /** The corrected rcode, or -1. */
  int correctedRcode() {
    return correctedRcode;
  }

  Instant earliestExpiry() {
    return earliestExpiry;
  }
}
