package io.dnssecproxy.conformance;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The forwarders the conformance test can run against, by name. The system property
 * {@code conformance.forwarder} picks one; to add an implementation, add one line here.
 */
final class ForwarderCatalog {

  static final String PROPERTY = "conformance.forwarder";
  static final String DEFAULT = "proxy";

  private static final Map<String, Supplier<ValidatingForwarderUnderTest>> FORWARDERS =
      new TreeMap<>(Map.of(
          "reference", ReferenceForwarder::new,
          "proxy", ProxyForwarder::new));

  private ForwarderCatalog() {}

  /** The name selected by the system property (or the default). */
  static String selectedName() {
    return System.getProperty(PROPERTY, DEFAULT).trim();
  }

  static ValidatingForwarderUnderTest create(String name) {
    Supplier<ValidatingForwarderUnderTest> supplier = FORWARDERS.get(name);
    if (supplier == null) {
      throw new IllegalArgumentException("unknown " + PROPERTY + " '" + name + "'; known: "
          + FORWARDERS.keySet());
    }
    return supplier.get();
  }
}
