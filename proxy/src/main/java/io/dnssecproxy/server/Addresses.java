package io.dnssecproxy.server;

import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Conversions between Vert.x and JDK socket addresses, without name lookups. */
final class Addresses {

  private Addresses() {}

  /** The peer address Vert.x reports, as a JDK address. The host is always an IP literal here. */
  static InetSocketAddress toInet(SocketAddress address) {
    try {
      // An IP literal is parsed, never looked up, so this does not block.
      return new InetSocketAddress(InetAddress.getByName(address.hostAddress()), address.port());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + address, e);
    }
  }

  /** "127.0.0.1:53" or "[::1]:53". */
  static String format(InetSocketAddress address) {
    String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /** The literal IP a Vert.x bind call needs; refuses unresolved addresses rather than look them up. */
  static String literal(InetSocketAddress address) {
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("listen address must be an IP address: " + address);
    }
    return address.getAddress().getHostAddress();
  }
}
