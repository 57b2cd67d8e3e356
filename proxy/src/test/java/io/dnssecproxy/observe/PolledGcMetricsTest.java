package io.dnssecproxy.observe;

import static io.dnssecproxy.observe.ScrapeAssertions.assertScrapeHas;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PolledGcMetricsTest {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @Test
  void pauseCountAndTimeFollowTheCollectorsAtScrapeTime() {
    new PolledGcMetrics().bindTo(registry);
    long before = polledCount();
    // A System.gc() is not always counted at once (a collector may fold it into a cycle under way,
    // or a JVM option may ignore it), so collect until the collectors themselves show one more.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (collectorsCount() <= before && System.nanoTime() < deadline) {
      System.gc();
      allocateGarbage();
    }
    long collectorsLow = collectorsCount();
    long after = polledCount();
    long collectorsHigh = collectorsCount();
    assertTrue(collectorsLow > before, "the collectors ran at least once within 10 s");
    assertTrue(after >= collectorsLow && after <= collectorsHigh,
        "the polled count is the collectors' count at scrape time: " + collectorsLow + " <= " + after + " <= " + collectorsHigh);
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      FunctionTimer t = registry.get("jvm.gc.pause").tag("gc", gc.getName()).functionTimer();
      assertEquals(gc.getCollectionTime(), t.totalTime(TimeUnit.MILLISECONDS), 1000.0, gc.getName());
    }
    assertScrapeHas(registry,
        "# TYPE jvm_gc_pause_seconds summary",
        "jvm_gc_pause_seconds_count{action=\"end of major GC\"",
        "jvm_gc_live_data_size_bytes{pool=",
        "jvm_gc_max_data_size_bytes{pool=");
  }

  private long polledCount() {
    return registry.find("jvm.gc.pause").functionTimers().stream().mapToLong(t -> (long) t.count()).sum();
  }

  private static long collectorsCount() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(g -> Math.max(0, g.getCollectionCount())).sum();
  }

  private static void allocateGarbage() {
    byte[][] chunks = new byte[64][];
    for (int i = 0; i < 1024; i++) {
      chunks[i % chunks.length] = new byte[64 * 1024];
    }
    sink = chunks;
  }

  private static volatile Object sink;

  @Test
  void collectorsAreToldApartByName() {
    assertTrue(PolledGcMetrics.majorCollector("MarkSweepCompact"));
    assertTrue(PolledGcMetrics.majorCollector("PS MarkSweep"));
    assertTrue(PolledGcMetrics.majorCollector("G1 Old Generation"));
    assertFalse(PolledGcMetrics.majorCollector("Copy"));
    assertFalse(PolledGcMetrics.majorCollector("PS Scavenge"));
    assertFalse(PolledGcMetrics.majorCollector("G1 Young Generation"));
    assertTrue(PolledGcMetrics.longLived("Tenured Gen"));
    assertTrue(PolledGcMetrics.longLived("G1 Old Gen"));
    assertFalse(PolledGcMetrics.longLived("Eden Space"));
    assertFalse(PolledGcMetrics.longLived("G1 Survivor Space"));
  }
}
