package io.dnssecproxy.validation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The work one validation may do. KeyTrap-style zones (CVE-2023-50387, CVE-2023-50868) make a
 * validator try every key against every signature, or hash NSEC3 names thousands of times;
 * charging each unit of work here turns such a zone into a bogus answer instead of a busy
 * resolver. One budget per client answer, shared by every RRset and key fetch it needs.
 */
public final class WorkBudget {

  /** Limits for one validation. */
  public record Limits(int signatureVerifications, int dsDigests, int subQueries, int nsec3Hashes, Duration wallTime) {
    public static Limits defaults() {
      // Generous for real zones (a deep chain needs ~2 sub-queries and ~3 verifications per zone),
      // small enough that a hostile zone costs a few milliseconds of CPU at most.
      return new Limits(64, 64, 32, 256, Duration.ofSeconds(4));
    }
  }

  /** Thrown when any limit is exceeded; the validation that hits it ends bogus. */
  public static final class ExhaustedException extends RuntimeException {
    ExhaustedException(String what) {
      super("work budget exhausted: " + what, null, false, false);
    }
  }

  private final Limits limits;
  private final Clock clock;
  private final Instant deadline;
  private int signatures;
  private int digests;
  private int subQueries;
  private int hashes;

  /** @param clock a wall clock (not the validation-time clock, which may be frozen by --now) */
  public WorkBudget(Limits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
    this.deadline = clock.instant().plus(limits.wallTime());
  }

  public void chargeSignature() {
    if (++signatures > limits.signatureVerifications()) {
      throw new ExhaustedException("more than " + limits.signatureVerifications() + " signature verifications");
    }
    checkTime();
  }

  public void chargeDigest() {
    if (++digests > limits.dsDigests()) {
      throw new ExhaustedException("more than " + limits.dsDigests() + " DS digest computations");
    }
  }

  public void chargeSubQuery() {
    if (++subQueries > limits.subQueries()) {
      throw new ExhaustedException("more than " + limits.subQueries() + " DNSKEY/DS sub-queries");
    }
    checkTime();
  }

  /**
   * Charges one NSEC3 name hash. Iterations are capped separately (RFC 9276), so a count of
   * hashes bounds the SHA-1 work.
   */
  public void chargeNsec3Hash() {
    if (++hashes > limits.nsec3Hashes()) {
      throw new ExhaustedException("more than " + limits.nsec3Hashes() + " NSEC3 hashes");
    }
  }

  private void checkTime() {
    if (clock.instant().isAfter(deadline)) {
      throw new ExhaustedException("validation took longer than " + limits.wallTime().toMillis() + " ms");
    }
  }

  public int signaturesUsed() {
    return signatures;
  }

  public int subQueriesUsed() {
    return subQueries;
  }
}
