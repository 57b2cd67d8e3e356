package io.dnssecproxy.observe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Checks on the Prometheus text a registry renders, the form a scraper sees. */
final class ScrapeAssertions {

  private ScrapeAssertions() {}

  static void assertScrapeHas(PrometheusMeterRegistry registry, String... texts) {
    String scrape = registry.scrape();
    for (String text : texts) {
      assertTrue(scrape.contains(text), "scrape lacks " + text + ":\n" + scrape);
    }
  }
}
