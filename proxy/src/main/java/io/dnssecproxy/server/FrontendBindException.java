package io.dnssecproxy.server;

import java.net.InetSocketAddress;

/** A front-end could not open its socket; the message names the transport and address. */
public final class FrontendBindException extends RuntimeException {

  public FrontendBindException(Transport transport, InetSocketAddress address, Throwable cause) {
    super(describe(transport, address, cause), cause);
  }

  private static String describe(Transport transport, InetSocketAddress address, Throwable cause) {
    String reason = cause == null || cause.getMessage() == null ? String.valueOf(cause) : cause.getMessage();
    String hint = address.getPort() > 0 && address.getPort() < 1024
        ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE)"
        : "";
    return "cannot listen on " + transport.tag() + " " + Addresses.format(address) + ": " + reason + hint;
  }
}
