package io.dnssecproxy.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Resource limits of the front-ends.
 *
 * @param maxUdpResponseBytes cap on the client's advertised EDNS UDP size (RFC 6891 allows up to
 *     65535; larger answers fragment, so cap it)
 * @param maxUdpInFlight UDP queries being resolved at once; beyond it new datagrams are dropped
 *     (the stub retries), which bounds memory under a flood
 * @param maxTcpConnections open TCP connections; over it new connections are closed at once
 * @param maxTcpInFlightPerConnection pipelined queries one TCP connection may have pending; at
 *     the cap the connection stops being read until one completes (back-pressure, not an error)
 * @param tcpIdleTimeout a TCP connection with nothing pending and no message for this long is
 *     closed (RFC 7766 §6.2.3 suggests seconds, not minutes)
 */
public record FrontendLimits(
    int maxUdpResponseBytes,
    int maxUdpInFlight,
    int maxTcpConnections,
    int maxTcpInFlightPerConnection,
    Duration tcpIdleTimeout) {

  public static final int DEFAULT_MAX_UDP_RESPONSE_BYTES = 4096;
  public static final int DEFAULT_MAX_UDP_IN_FLIGHT = 1024;
  public static final int DEFAULT_MAX_TCP_CONNECTIONS = 256;
  public static final int DEFAULT_MAX_TCP_IN_FLIGHT_PER_CONNECTION = 32;
  public static final Duration DEFAULT_TCP_IDLE_TIMEOUT = Duration.ofSeconds(10);

  public FrontendLimits {
    if (maxUdpResponseBytes < 512 || maxUdpResponseBytes > 65535) {
      throw new IllegalArgumentException("maxUdpResponseBytes must be in 512..65535");
    }
    requirePositive(maxUdpInFlight, "maxUdpInFlight");
    requirePositive(maxTcpConnections, "maxTcpConnections");
    requirePositive(maxTcpInFlightPerConnection, "maxTcpInFlightPerConnection");
    Objects.requireNonNull(tcpIdleTimeout, "tcpIdleTimeout");
    if (tcpIdleTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("tcpIdleTimeout must be at least 1 ms");
    }
  }

  /** 4096 bytes, 1024 UDP in flight, 256 connections, 32 per connection, 10 s idle. */
  public static FrontendLimits defaults() {
    return new FrontendLimits(
        DEFAULT_MAX_UDP_RESPONSE_BYTES,
        DEFAULT_MAX_UDP_IN_FLIGHT,
        DEFAULT_MAX_TCP_CONNECTIONS,
        DEFAULT_MAX_TCP_IN_FLIGHT_PER_CONNECTION,
        DEFAULT_TCP_IDLE_TIMEOUT);
  }

  public FrontendLimits withMaxUdpResponseBytes(int value) {
    return new FrontendLimits(value, maxUdpInFlight, maxTcpConnections, maxTcpInFlightPerConnection, tcpIdleTimeout);
  }

  public FrontendLimits withMaxUdpInFlight(int value) {
    return new FrontendLimits(maxUdpResponseBytes, value, maxTcpConnections, maxTcpInFlightPerConnection, tcpIdleTimeout);
  }

  public FrontendLimits withMaxTcpConnections(int value) {
    return new FrontendLimits(maxUdpResponseBytes, maxUdpInFlight, value, maxTcpInFlightPerConnection, tcpIdleTimeout);
  }

  public FrontendLimits withMaxTcpInFlightPerConnection(int value) {
    return new FrontendLimits(maxUdpResponseBytes, maxUdpInFlight, maxTcpConnections, value, tcpIdleTimeout);
  }

  public FrontendLimits withTcpIdleTimeout(Duration value) {
    return new FrontendLimits(maxUdpResponseBytes, maxUdpInFlight, maxTcpConnections, maxTcpInFlightPerConnection, value);
  }

  private static void requirePositive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1");
    }
  }
}
