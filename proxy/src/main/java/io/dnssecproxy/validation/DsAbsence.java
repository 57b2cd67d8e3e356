package io.dnssecproxy.validation;

/** What a signed "no DS here" answer proves about a name below a secure zone. */
enum DsAbsence {
  /** The name is a delegation with no DS: the child zone is insecure. */
  INSECURE_DELEGATION,
  /** The name is inside the same zone (no cut here): keep walking down. */
  NO_CUT,
  /** The name does not exist: the zone above is as deep as it goes. */
  NAME_ABSENT
}
