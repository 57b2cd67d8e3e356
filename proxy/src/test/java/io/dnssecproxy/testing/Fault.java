package io.dnssecproxy.testing;

/** How a {@link FaultyUpstream} misbehaves. */
public enum Fault {
  /** Answers correctly. */
  NONE,
  /** Drops {@link FaultyUpstream#dropFraction(double)} of the UDP queries. */
  DROP_SOME,
  /** Answers after {@link FaultyUpstream#delay(java.time.Duration)}. */
  DELAY,
  /** Answers SERVFAIL. */
  SERVFAIL,
  /** Answers REFUSED. */
  REFUSED,
  /** Answers every UDP query with TC=1 and no data; TCP works. */
  TRUNCATE,
  /** Answers TC=1 over UDP and resets every TCP connection. */
  TRUNCATE_THEN_RESET,
  /** Answers with random bytes. */
  GARBAGE,
  /** Never answers (a host that went away). */
  SILENT
}
