package io.dnssecproxy.server;

/** The transport a client query arrived on. */
public enum Transport {
  UDP,
  TCP;

  /** Lower-case form for metric tags and logs. */
  public String tag() {
    return this == UDP ? "udp" : "tcp";
  }
}
