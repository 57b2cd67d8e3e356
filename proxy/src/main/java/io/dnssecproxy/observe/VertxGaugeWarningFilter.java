package io.dnssecproxy.observe;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps one false warning off the proxy's stderr. Vert.x's Micrometer metrics register a
 * connection gauge again for every new HTTP connection (gauges of one name share one counter, so
 * the values are right), and Micrometer warns about the second registration: every pod printed
 * "This Gauge has been already registered (MeterId{name='vertx.http.server.active.connections'...})"
 * seconds after start, at the kubelet's second probe of the admin port.
 *
 * <p>Only Vert.x's meters are filtered. Micrometer warns once per process and logs later double
 * registrations at debug level; the proxy registers its own meters at start-up, before any
 * connection, so a double registration of one of ours still reaches stderr first.
 */
public final class VertxGaugeWarningFilter implements Filter {

  /** Held here: JUL keeps loggers only weakly, and a collected logger would lose its filter. */
  private static final Logger MICROMETER_REGISTRY = Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");

  private static final String VERTX_DOUBLE_REGISTRATION = "has been already registered (MeterId{name='vertx.";

  /** Installs the filter on Micrometer's registry logger. Idempotent. */
  public static void install() {
    if (!(MICROMETER_REGISTRY.getFilter() instanceof VertxGaugeWarningFilter)) {
      MICROMETER_REGISTRY.setFilter(new VertxGaugeWarningFilter());
    }
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    String message = record.getMessage();
    return message == null || !message.contains(VERTX_DOUBLE_REGISTRATION);
  }
}
