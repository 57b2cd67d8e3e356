package io.dnssecproxy.lab;

/** Forged responses the fake upstream can send to the querier before the real one (UDP only). */
public enum Spoof {
  /** The real response with a different message ID. */
  WRONG_ID,
  /** Right ID, but the question section names a different name. */
  WRONG_QUESTION,
  /** Right ID and question; attacker addresses and no RRSIGs at all. */
  UNSIGNED,
  /** Right ID and question; attacker addresses (or altered signatures) that fail validation. */
  BAD_SIGNATURE
}
