package io.dnssecproxy.validation;

/** Extended DNS Error codes (RFC 8914) the validator and the proxy produce. */
public final class Ede {
  public static final int NONE = -1;
  public static final int OTHER = 0;
  public static final int UNSUPPORTED_DNSKEY_ALGORITHM = 1;
  public static final int UNSUPPORTED_DS_DIGEST = 2;
  public static final int STALE_ANSWER = 3;
  public static final int DNSSEC_INDETERMINATE = 5;
  public static final int DNSSEC_BOGUS = 6;
  public static final int SIGNATURE_EXPIRED = 7;
  public static final int SIGNATURE_NOT_YET_VALID = 8;
  public static final int DNSKEY_MISSING = 9;
  public static final int RRSIGS_MISSING = 10;
  public static final int NO_ZONE_KEY_BIT = 11;
  public static final int NSEC_MISSING = 12;
  public static final int NOT_READY = 14;
  public static final int PROHIBITED = 18;
  public static final int NO_REACHABLE_AUTHORITY = 22;
  public static final int NETWORK_ERROR = 23;
  public static final int UNSUPPORTED_NSEC3_ITERATIONS = 27;

  private Ede() {}

  /** Short, stable name for logs and metric tags. */
  public static String name(int code) {
    return switch (code) {
      case NONE -> "none";
      case OTHER -> "other";
      case UNSUPPORTED_DNSKEY_ALGORITHM -> "unsupported_dnskey_algorithm";
      case UNSUPPORTED_DS_DIGEST -> "unsupported_ds_digest";
      case STALE_ANSWER -> "stale_answer";
      case DNSSEC_INDETERMINATE -> "dnssec_indeterminate";
      case DNSSEC_BOGUS -> "dnssec_bogus";
      case SIGNATURE_EXPIRED -> "signature_expired";
      case SIGNATURE_NOT_YET_VALID -> "signature_not_yet_valid";
      case DNSKEY_MISSING -> "dnskey_missing";
      case RRSIGS_MISSING -> "rrsigs_missing";
      case NO_ZONE_KEY_BIT -> "no_zone_key_bit";
      case NSEC_MISSING -> "nsec_missing";
      case NOT_READY -> "not_ready";
      case PROHIBITED -> "prohibited";
      case NO_REACHABLE_AUTHORITY -> "no_reachable_authority";
      case NETWORK_ERROR -> "network_error";
      case UNSUPPORTED_NSEC3_ITERATIONS -> "unsupported_nsec3_iterations";
      default -> "code_" + code;
    };
  }
}
