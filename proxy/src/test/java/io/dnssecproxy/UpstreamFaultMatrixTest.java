package io.dnssecproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.config.ConfigLoader;
import io.dnssecproxy.config.ProxyConfig;
import io.dnssecproxy.config.ProxyOptions;
import io.dnssecproxy.observe.EventLog;
import io.dnssecproxy.testing.Fault;
import io.dnssecproxy.testing.FaultyUpstream;
import io.dnssecproxy.testing.MutableClock;
import io.dnssecproxy.lab.RecursiveAnswerer;
import io.dnssecproxy.lab.LabWorld;
import io.dnssecproxy.upstream.UpstreamMetrics;
import io.dnssecproxy.upstream.UpstreamPool;
import io.dnssecproxy.upstream.UpstreamPoolOptions;
import io.dnssecproxy.validation.Ede;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real proxy (default upstream timings: 1.2 s per try, 2 tries, 2 s per question) in front of
 * a primary upstream that fails in one way after another and a healthy secondary, then both
 * gone, then back. Each row sends a few new questions at once and prints rcode, EDE and worst
 * latency; the expectations are the issue's: failover within bounded time, serve-stale while all
 * upstreams are down, SERVFAIL with EDE 22/23 for the rest within about 2.5 s, and recovery.
 */
class UpstreamFaultMatrixTest {

  private static final int QUERIES_PER_ROW = 6;
  private static final Duration BOUND = Duration.ofMillis(2500);

  private static Vertx vertx;
  private static FaultyUpstream primary;
  private static FaultyUpstream secondary;
  private static MutableClock clock;
  private static ProxyServer proxy;
  private static int port;
  private static int row;
  private static final StringBuilder MATRIX = new StringBuilder();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    RecursiveAnswerer answerer = new RecursiveAnswerer(LabWorld.get().zones());
    primary = new FaultyUpstream(vertx, answerer).start();
    secondary = new FaultyUpstream(vertx, answerer).start();
    clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
    ProxyOptions o = new ProxyOptions();
    o.listen = List.of("127.0.0.1:0");
    o.upstream = List.of(hostPort(primary.address()), hostPort(secondary.address()));
    o.adminListen = "off";
    o.trustAnchorFile = LabWorld.get().trustAnchorFile().toString();
    o.now = LabWorld.NOW.toString();
    ProxyConfig config = ConfigLoader.build(o);
    proxy = new ProxyServer(config, clock, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        v -> UpstreamPool.create(v, config.upstreams(), UpstreamPoolOptions.defaults(), UpstreamMetrics.NOOP),
        new EventLog(line -> { }, clock, Duration.ofSeconds(10)));
    vertx.deployVerticle(proxy).await();
    port = proxy.boundAddresses().get(0).getPort();
    MATRIX.append(String.format("%-44s %-9s %-22s %s%n", "fault", "answered", "rcodes (EDE)", "worst ms"));
  }

  @AfterAll
  static void stop() {
    System.out.print("upstream fault matrix (primary faulty, secondary healthy unless said)\n" + MATRIX);
    vertx.close().await();
  }

  private static String hostPort(InetSocketAddress a) {
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  /** One row: new names, sent at once; returns the answers. */
  private static List<Message> row(String label, List<Name> names) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(names.size());
    List<Future<Message>> futures = new ArrayList<>();
    long[] worst = {0};
    try {
      for (Name n : names) {
        futures.add(pool.submit(() -> {
          long t = System.nanoTime();
          Message m = ask(n);
          synchronized (worst) {
            worst[0] = Math.max(worst[0], (System.nanoTime() - t) / 1_000_000);
          }
          return m;
        }));
      }
      List<Message> out = new ArrayList<>();
      for (Future<Message> f : futures) {
        out.add(f.get());
      }
      long answered = out.stream().filter(m -> m.getRcode() == Rcode.NOERROR).count();
      StringBuilder rcodes = new StringBuilder();
      out.stream().map(m -> Rcode.string(m.getRcode()) + (ede(m) >= 0 ? "(" + ede(m) + ")" : "")).distinct()
          .forEach(s -> rcodes.append(rcodes.length() == 0 ? "" : ",").append(s));
      MATRIX.append(String.format("%-44s %d/%-7d %-22s %d%n", label, answered, out.size(), rcodes, worst[0]));
      assertTrue(worst[0] < BOUND.toMillis(), label + ": worst answer took " + worst[0] + " ms");
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Message> row(String label) throws Exception {
    row++;
    List<Name> names = new ArrayList<>();
    for (int i = 0; i < QUERIES_PER_ROW; i++) {
      names.add(Name.fromConstantString("r" + row + "-" + i + ".wild.secure.test."));
    }
    return row(label, names);
  }

  private static Message ask(Name name) throws Exception {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    r.setTimeout(Duration.ofSeconds(5));
    r.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
    return r.send(Message.newQuery(Record.newRecord(name, Type.A, DClass.IN)));
  }

  private static int ede(Message m) {
    return ProxyEndToEndTest.edeCode(m);
  }

  private static void allSecure(List<Message> answers) {
    for (Message m : answers) {
      assertEquals(Rcode.NOERROR, m.getRcode(), m::toString);
      assertTrue(m.getHeader().getFlag(Flags.AD), m::toString);
    }
  }

  @Test
  void failoverServeStaleServfailAndRecoveryAcrossEveryFault() throws Exception {
    allSecure(row("none (baseline, cold keys)"));
    List<Message> cached = row("none (these names are re-asked when all are down)", List.of(
        Name.fromConstantString("stale-0.wild.secure.test."), Name.fromConstantString("stale-1.wild.secure.test.")));
    allSecure(cached);

    primary.fault(Fault.DROP_SOME);
    primary.dropFraction(0.3);
    allSecure(row("primary drops 30% of UDP"));
    primary.fault(Fault.DELAY);
    primary.delay(Duration.ofMillis(300));
    allSecure(row("primary delays 300 ms"));
    primary.delay(Duration.ofMillis(1500));
    allSecure(row("primary delays 1500 ms (over the try timeout)"));
    for (Fault f : List.of(Fault.SERVFAIL, Fault.REFUSED, Fault.TRUNCATE, Fault.TRUNCATE_THEN_RESET, Fault.GARBAGE, Fault.SILENT)) {
      primary.fault(f);
      allSecure(row("primary " + f.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')));
    }

    secondary.fault(Fault.SILENT);
    clock.advance(Duration.ofHours(2)); // the cached answers are now expired
    List<Message> stale = row("both silent: cached names (expired)", List.of(
        Name.fromConstantString("stale-0.wild.secure.test."), Name.fromConstantString("stale-1.wild.secure.test.")));
    for (Message m : stale) {
      assertEquals(Rcode.NOERROR, m.getRcode(), m::toString);
      assertEquals(Ede.STALE_ANSWER, ede(m), m::toString);
    }
    for (Message m : row("both silent: new names")) {
      assertEquals(Rcode.SERVFAIL, m.getRcode(), m::toString);
      assertTrue(ede(m) == Ede.NO_REACHABLE_AUTHORITY || ede(m) == Ede.NETWORK_ERROR, m::toString);
    }
    secondary.fault(Fault.SERVFAIL);
    primary.fault(Fault.GARBAGE);
    for (Message m : row("primary garbage, secondary servfail: new names")) {
      assertEquals(Rcode.SERVFAIL, m.getRcode(), m::toString);
    }

    primary.fault(Fault.NONE);
    secondary.fault(Fault.NONE);
    allSecure(row("both back"));
  }
}
