package io.dnssecproxy.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated("changes the level of a JVM-wide logger")
class VertxGaugeWarningFilterTest {

  private final VertxGaugeWarningFilter filter = new VertxGaugeWarningFilter();

  @Test
  void dropsMicrometersWarningAboutVertxGaugesRegisteredAgain() {
    assertFalse(filter.isLoggable(record("This Gauge has been already registered (MeterId{name='vertx.http.server.active.connections', "
        + "tags=[]}), the registration will be ignored. Note that subsequent logs will be logged at debug level.")));
  }

  @Test
  void keepsTheWarningForOtherMetersAndEveryOtherMessage() {
    assertTrue(filter.isLoggable(record("This Gauge has been already registered (MeterId{name='dnssec_proxy_cache_entries', "
        + "tags=[]}), the registration will be ignored.")));
    assertTrue(filter.isLoggable(record("vertx.http.server.active.connections")));
    assertTrue(filter.isLoggable(record(null)));
  }

  @Test
  void micrometersOwnDoubleRegistrationLogIsFilteredForVertxMetersOnly() {
    // Micrometer warns once per JVM and logs later double registrations at debug level, so the
    // logger is opened to every level: whichever this is, only the Vert.x one must be dropped.
    Logger log = Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");
    Level level = log.getLevel();
    List<String> seen = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        seen.add(r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    log.setLevel(Level.ALL);
    log.addHandler(capture);
    try {
      VertxGaugeWarningFilter.install();
      VertxGaugeWarningFilter.install(); // idempotent
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      for (String name : List.of("vertx.http.server.active.connections", "filter.test.own.gauge")) {
        Gauge.builder(name, () -> 1).register(registry);
        Gauge.builder(name, () -> 2).register(registry);
      }
      assertEquals(1, seen.size(), "one double-registration message left: " + seen);
      assertTrue(seen.get(0).contains("filter.test.own.gauge"), seen.get(0));
    } finally {
      log.removeHandler(capture);
      log.setLevel(level);
    }
  }

  private static LogRecord record(String message) {
    return new LogRecord(Level.WARNING, message);
  }
}
