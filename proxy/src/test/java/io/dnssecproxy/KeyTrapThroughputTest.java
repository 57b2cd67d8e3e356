package io.dnssecproxy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.lab.HostileWorld;
import io.dnssecproxy.lab.LabUpstream;
import io.dnssecproxy.testing.MutableClock;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Throughput of good cached queries with and without KeyTrap-style attack traffic (fresh random
 * names under the hostile zones' wildcards, so every attack query is a cache miss that must be
 * validated). A long run, outside the default test run: {@code mvn test -pl proxy -Psoak
 * -Dtest=KeyTrapThroughputTest} (each phase lasts {@code -Dload.seconds}, default 10).
 */
@Tag("long")
class KeyTrapThroughputTest {

  private static final int GOOD_CLIENTS = 4;
  private static final int ATTACKERS = 4;

  @Test
  void cachedQueriesKeepBeingAnsweredWhileHostileZonesAreQueriedAtHighRate() throws Exception {
    Duration phase = Duration.ofSeconds(Long.getLong("load.seconds", 10));
    Vertx vertx = Vertx.vertx();
    HostileWorld world = HostileWorld.get();
    Path anchor = Files.createTempFile("hostile-anchor", ".txt");
    Files.writeString(anchor, world.trustAnchorText(), StandardCharsets.US_ASCII);
    LabUpstream upstream = new LabUpstream(vertx, world.zones()).start().await();
    world.hostileAnswers().forEach(upstream::respondWith);
    MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
    try (ProxyHarness proxy = ProxyHarness.start(vertx, upstream.address(), clock, o -> {
      o.trustAnchorFile = anchor.toString();
      o.now = HostileWorld.NOW.toString();
    })) {
      LoadClient warm = new LoadClient(proxy.port(), Duration.ofSeconds(2));
      Message first = warm.ask(HostileWorld.GOOD_WWW, Type.A);
      assertTrue(first != null && first.getHeader().getFlag(Flags.AD), String.valueOf(first));
      double quiet = goodRate(proxy.port(), phase, List.of());
      // Control: the same number of loops asking fresh names in a well-behaved zone, so the cost
      // of cache misses as such (upstream round trips, parsing, the fake upstream's own CPU on
      // the same 2 cores) is told apart from the cost of hostile zones.
      AtomicLong control = new AtomicLong();
      double underControl = goodRate(proxy.port(), phase, attackers(proxy.port(), new String[] {"good.hostile."}, control, new AtomicLong()));
      AtomicLong attacks = new AtomicLong();
      AtomicLong attackAnswers = new AtomicLong();
      double underAttack = goodRate(proxy.port(), phase,
          attackers(proxy.port(), new String[] {"keytrap.hostile.", "manysigs.hostile.", "bigexp.hostile."}, attacks, attackAnswers));
      System.out.printf("keytrap load: good cached queries %.0f/s alone; %.0f/s beside fresh good names (%.0f/s); "
              + "%.0f/s under attack (%.0f%% of alone, %.0f%% of the control); attack queries %.0f/s, %d of %d answered%n",
          quiet, underControl, control.get() / (double) phase.toSeconds(), underAttack, 100 * underAttack / quiet,
          100 * underAttack / underControl, attacks.get() / (double) phase.toSeconds(), attackAnswers.get(), attacks.get());
      assertTrue(underAttack >= underControl * 0.5,
          "hostile zones cost far more than ordinary misses: " + underAttack + "/s vs " + underControl + "/s");
    } finally {
      upstream.close();
      vertx.close().await();
      Files.deleteIfExists(anchor);
    }
  }

  /** Attack loops: fresh names under every hostile wildcard, as fast as the answers come. */
  private static List<Runnable> attackers(int port, String[] zones, AtomicLong sent, AtomicLong answered) {
    List<Runnable> out = new ArrayList<>();
    for (int a = 0; a < ATTACKERS; a++) {
      int id = a;
      out.add(() -> {
        LoadClient c = new LoadClient(port, Duration.ofSeconds(3));
        for (long i = 0; !Thread.currentThread().isInterrupted(); i++) {
          Name n = Name.fromConstantString("x" + id + "-" + i + ".wild." + zones[(int) (i % zones.length)]);
          sent.incrementAndGet();
          if (c.ask(n, Type.A) != null) {
            answered.incrementAndGet();
          }
        }
      });
    }
    return out;
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "load");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Good cached answers per second over the phase, with the given background loops running. */
  private static double goodRate(int port, Duration phase, List<Runnable> background) throws Exception {
    List<Thread> threads = new ArrayList<>();
    background.forEach(r -> threads.add(daemon(r)));
    AtomicLong good = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < GOOD_CLIENTS; i++) {
      clients.add(daemon(() -> {
        LoadClient c = new LoadClient(port, Duration.ofSeconds(2));
        while (!stop.get()) {
          Message m = c.ask(HostileWorld.GOOD_WWW, Type.A);
          if (m != null && m.getRcode() == Rcode.NOERROR) {
            good.incrementAndGet();
          }
        }
      }));
    }
    Thread.sleep(phase.toMillis());
    stop.set(true);
    for (Thread t : clients) {
      t.join(5000);
    }
    threads.forEach(Thread::interrupt);
    for (Thread t : threads) {
      t.join(5000);
    }
    return good.get() / (double) phase.toSeconds();
  }
}
