package io.dnssecproxy.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parses HOST:PORT, [IPV6]:PORT or a bare address (with a default port). Literal addresses only. */
public final class HostPort {

  private HostPort() {}

  /**
   * @throws IllegalArgumentException with a message fit for an operator
   */
  public static InetSocketAddress parse(String text, int defaultPort) {
    String s = text.trim();
    String host;
    String port = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("'" + text + "' is not HOST:PORT (unclosed '[')");
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("'" + text + "' is not HOST:PORT");
        }
        port = rest.substring(1);
      }
    } else if (s.indexOf(':') != s.lastIndexOf(':')) {
      host = s; // a bare IPv6 address
    } else {
      int colon = s.indexOf(':');
      host = colon < 0 ? s : s.substring(0, colon);
      port = colon < 0 ? null : s.substring(colon + 1);
    }
    int p = defaultPort;
    if (port != null) {
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "': port '" + port + "' is not a number");
      }
      if (p < 0 || p > 65535) {
        throw new IllegalArgumentException("'" + text + "': port " + p + " is out of range 0-65535");
      }
    }
    if (host.isEmpty() || !looksLikeAddress(host)) {
      throw new IllegalArgumentException("'" + text + "': '" + host + "' is not an IP address (host names are not resolved: the proxy may be the resolver)");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), p);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + text + "': '" + host + "' is not an IP address");
    }
  }

  /** Only literals: looking up a name here could loop back into this very proxy. */
  private static boolean looksLikeAddress(String host) {
    if (host.contains(":")) {
      return host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%');
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit) || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  /** HOST:PORT with brackets around IPv6 addresses. */
  public static String format(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
