package io.dnssecproxy.inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The injector's counters, registered at zero so rate() works from the first scrape. */
public final class InjectorMetrics {

  /** What became of one AdmissionReview. */
  public enum Review { INJECTED, SKIPPED, FAILED }

  /** What one reconciliation of a namespace's policy ConfigMap did. */
  public enum Sync { CREATED, UPDATED, UNCHANGED, FAILED }

  private final Map<Review, Counter> reviews;
  private final Map<Sync, Counter> syncs;

  public InjectorMetrics(MeterRegistry registry) {
    reviews = counters(registry, Review.values(), "dnssec_proxy_injector_reviews", "outcome",
        "AdmissionReviews answered, by outcome (failed: admitted unchanged because of an injector error)");
    syncs = counters(registry, Sync.values(), "dnssec_proxy_injector_policy_syncs", "result",
        "reconciliations of a labelled namespace's policy ConfigMap with its mode label");
  }

  private static <E extends Enum<E>> Map<E, Counter> counters(MeterRegistry registry, E[] values, String name, String tag, String help) {
    return Stream.of(values).collect(Collectors.toUnmodifiableMap(Function.identity(),
        v -> Counter.builder(name).tag(tag, v.name().toLowerCase()).description(help).register(registry)));
  }

  public void review(Review outcome) {
    reviews.get(outcome).increment();
  }

  public void sync(Sync result) {
    syncs.get(result).increment();
  }

  public double reviews(Review outcome) {
    return reviews.get(outcome).count();
  }

  public double syncs(Sync result) {
    return syncs.get(result).count();
  }
}
