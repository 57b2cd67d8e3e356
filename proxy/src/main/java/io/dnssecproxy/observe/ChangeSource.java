package io.dnssecproxy.observe;

/**
 * Who changed the running proxy: the control API (with the caller's address) or the watched
 * policy directory. Written into every change line so an operator can tell them apart.
 */
public record ChangeSource(String kind, String client) {

  public static final ChangeSource POLICY_DIR = new ChangeSource("policy-dir", null);

  public static ChangeSource api(String client) {
    return new ChangeSource("api", client);
  }
}
