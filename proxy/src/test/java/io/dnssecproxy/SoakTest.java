package io.dnssecproxy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.lab.LabUpstream;
import io.dnssecproxy.testing.MutableClock;
import io.dnssecproxy.lab.LabWorld;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * A steady-rate run against an in-process proxy and fake upstream with a realistic mix: cached
 * names (70%), new names (15%, wildcard answers), NXDOMAIN (10%) and bogus names (5%). Every
 * window it prints answers, errors, p99 latency, resident memory and heap after GC; at the end
 * it checks that memory levelled off. Outside the default run:
 * {@code mvn test -pl proxy -Psoak -Dtest=SoakTest -Dsoak.minutes=5 -Dsoak.qps=400}
 * (defaults: 1 minute, 300 queries/s, 10 s windows; the cache is capped at 5 000 entries so
 * that it fills within a short run).
 */
@Tag("long")
class SoakTest {

  private static final int CLIENTS = 8;

  @Test
  void memoryLevelsOffAndAnswersKeepFlowingAtASteadyRate() throws Exception {
    Duration total = Duration.ofSeconds((long) (Double.parseDouble(System.getProperty("soak.minutes", "1")) * 60));
    int qps = Integer.getInteger("soak.qps", 300);
    Duration window = Duration.ofSeconds(Integer.getInteger("soak.window.seconds", 10));
    Vertx vertx = Vertx.vertx();
    LabUpstream upstream = LabUpstream.forHierarchy(vertx).start().await();
    MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
    List<long[]> heapCurve = new ArrayList<>();
    try (ProxyHarness proxy = ProxyHarness.start(vertx, upstream.address(), clock, o -> {
      o.trustAnchorFile = LabWorld.get().trustAnchorFile().toString();
      o.now = LabWorld.NOW.toString();
      o.cacheMaxEntries = "5000";
    })) {
      AtomicLong sequence = new AtomicLong();
      long windows = Math.max(1, total.toMillis() / window.toMillis());
      System.out.printf("soak: %d s at %d q/s, %d clients%n%-8s %-8s %-7s %-8s %-9s %-9s %-8s%n", total.toSeconds(), qps,
          CLIENTS, "t(s)", "answers", "errors", "p99 ms", "rss MB", "heap MB", "cache");
      for (long w = 1; w <= windows; w++) {
        Window result = runWindow(proxy.port(), qps, window, sequence);
        long rssMb = LoadClient.rssKb() / 1024;
        System.gc();
        long heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        heapCurve.add(new long[] {rssMb, heapMb});
        System.out.printf("%-8d %-8d %-7d %-8.1f %-9d %-9d %-8d%n", w * window.toSeconds(), result.answers, result.errors,
            result.p99Millis, rssMb, heapMb, proxy.server.cache().size());
        assertTrue(result.errors <= result.answers / 100 + 5, "errors: " + result.errors + " of " + result.answers);
      }
    } finally {
      upstream.close();
      vertx.close().await();
    }
    if (heapCurve.size() >= 6) {
      // Once the cache is full, heap after GC must stay flat: compare the last third with the middle third.
      int third = heapCurve.size() / 3;
      double middle = heapCurve.subList(third, 2 * third).stream().mapToLong(h -> h[1]).average().orElse(0);
      double last = heapCurve.subList(2 * third, heapCurve.size()).stream().mapToLong(h -> h[1]).average().orElse(0);
      System.out.printf("soak: heap after GC, middle third %.0f MB, last third %.0f MB%n", middle, last);
      assertTrue(last <= middle * 1.25 + 16, "heap keeps growing: " + middle + " MB then " + last + " MB");
    }
  }

  private record Window(long answers, long errors, double p99Millis) {}

  /** One window at the target rate, spread over the clients; each paces itself. */
  private static Window runWindow(int port, int qps, Duration window, AtomicLong sequence) throws Exception {
    long perClient = Math.max(1, qps * window.toSeconds() / CLIENTS);
    long intervalNanos = window.toNanos() / perClient;
    List<Thread> threads = new ArrayList<>();
    long[][] latencies = new long[CLIENTS][(int) perClient];
    AtomicLong answers = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    for (int c = 0; c < CLIENTS; c++) {
      int id = c;
      Thread t = new Thread(() -> {
        LoadClient client = new LoadClient(port, Duration.ofSeconds(2));
        long next = System.nanoTime();
        for (int i = 0; i < perClient; i++) {
          long n = sequence.incrementAndGet();
          Mix q = Mix.pick(n);
          long t0 = System.nanoTime();
          Message m = client.ask(q.name(n), Type.A);
          latencies[id][i] = System.nanoTime() - t0;
          if (m != null && m.getRcode() == q.rcode) {
            answers.incrementAndGet();
          } else {
            errors.incrementAndGet();
          }
          next += intervalNanos;
          long sleep = next - System.nanoTime();
          if (sleep > 0) {
            try {
              Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            } catch (InterruptedException e) {
              return;
            }
          }
        }
      }, "soak-client");
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(window.toMillis() * 3);
    }
    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).filter(l -> l > 0).sorted().toArray();
    double p99 = all.length == 0 ? 0 : all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1e6;
    return new Window(answers.get(), errors.get(), p99);
  }

  /** The query mix and the rcode each kind must get. */
  private enum Mix {
    CACHED(Rcode.NOERROR), NEW(Rcode.NOERROR), NXDOMAIN(Rcode.NXDOMAIN), BOGUS(Rcode.SERVFAIL);

    final int rcode;

    Mix(int rcode) {
      this.rcode = rcode;
    }

    static Mix pick(long n) {
      long r = Math.floorMod(n * 2654435761L, 100);
      return r < 70 ? CACHED : r < 85 ? NEW : r < 95 ? NXDOMAIN : BOGUS;
    }

    Name name(long n) {
      return switch (this) {
        case CACHED -> Name.fromConstantString("c" + (n % 200) + ".wild.secure.test.");
        case NEW -> Name.fromConstantString("n" + n + ".wild.nsec3.test.");
        case NXDOMAIN -> Name.fromConstantString("nx" + n + ".secure.test.");
        case BOGUS -> n % 2 == 0 ? LabWorld.BADSIG_WWW : Name.fromConstantString("www.nods.test.");
      };
    }
  }
}
