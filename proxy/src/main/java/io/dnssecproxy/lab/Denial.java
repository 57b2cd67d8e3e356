package io.dnssecproxy.lab;

/** How a signed zone proves that names or types do not exist. */
public enum Denial {
  NSEC,
  NSEC3
}
