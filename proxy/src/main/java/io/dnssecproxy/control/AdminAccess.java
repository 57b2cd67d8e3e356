package io.dnssecproxy.control;

import io.dnssecproxy.config.AdminToken;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may change the running proxy through the admin server. With a token configured, only
 * requests carrying it ({@code Authorization: Bearer TOKEN}), wherever the server listens.
 * Without one, anyone who can reach a loopback-only admin server (that is, the pod itself);
 * on any other address, nobody: reading stays open, changing is refused.
 */
public final class AdminAccess {

  private final Optional<AdminToken> token;
  private final boolean loopbackOnly;

  public AdminAccess(Optional<AdminToken> token, InetSocketAddress adminAddress) {
    this.token = token;
    this.loopbackOnly = adminAddress.getAddress().isLoopbackAddress();
  }

  /** Null when the request may change state; otherwise why not, in one line. */
  public String refusal(String authorizationHeader) {
    if (token.isPresent()) {
      String presented = bearer(authorizationHeader);
      if (presented == null) {
        return "changes need the admin token: send 'Authorization: Bearer TOKEN'";
      }
      return token.get().matches(presented) ? null : "wrong admin token";
    }
    return loopbackOnly ? null
        : "changes are refused: the admin server is not on a loopback address and no --admin-token is configured";
  }

  /** How changes are authorized, for the start-up line and the status report. */
  public String describe() {
    return token.isPresent() ? "token" : loopbackOnly ? "loopback" : "read-only";
  }

  private static String bearer(String header) {
    if (header == null) {
      return null;
    }
    String h = header.trim();
    return h.length() > 7 && h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ") ? h.substring(7).trim() : null;
  }
}
