package io.dnssecproxy.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The control API's bearer token. Kept out of toString so it never reaches a log line. */
public final class AdminToken {

  private final byte[] value;

  public AdminToken(String value) {
    this.value = value.getBytes(StandardCharsets.UTF_8);
  }

  /** Constant-time comparison, so response timing says nothing about how much of a guess was right. */
  public boolean matches(String candidate) {
    return candidate != null && MessageDigest.isEqual(value, candidate.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "AdminToken[redacted]";
  }
}
