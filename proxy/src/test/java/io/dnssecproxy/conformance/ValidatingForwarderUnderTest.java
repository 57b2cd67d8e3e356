package io.dnssecproxy.conformance;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;

/**
 * A DNSSEC-validating forwarder the conformance harness can drive: started once per scenario,
 * pointed at the scenario's replay upstream, then queried by the harness like an application
 * would.
 *
 * <p>To test a new implementation, write an adapter implementing this interface (start the
 * forwarder with the given options on 127.0.0.1, port 0 or any free port, UDP and TCP on the
 * same port) and register it by name in {@link ForwarderCatalog}; select it with
 * {@code -Dconformance.forwarder=<name>}.
 */
public interface ValidatingForwarderUnderTest {

  /**
   * Starts one forwarder instance. The future completes once it accepts queries on the
   * returned endpoint. Instances must not share state (caches, keys) with each other, since
   * several scenarios run at the same time.
   */
  Future<Endpoint> start(Vertx vertx, ForwarderOptions options);

  /** A running forwarder instance. */
  interface Endpoint {

    /** Where it listens, for UDP and TCP alike. */
    InetSocketAddress address();

    /** Stops it and releases its sockets. */
    Future<Void> close();
  }
}
