package io.dnssecproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.lab.LabUpstream;
import io.dnssecproxy.testing.MutableClock;
import io.dnssecproxy.lab.LabWorld;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Resource bounds at the proxy level: a flood of unique names cannot grow the answer cache past
 * --cache-max-entries, and slow TCP clients cannot hold the connection slots (cap and idle
 * timeout) while other clients keep being answered.
 */
class ResourceBoundsTest {

  private static final int CACHE_CAP = 100;
  private static final int TCP_CAP = 8;

  private Vertx vertx;
  private LabUpstream upstream;
  private ProxyHarness proxy;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = LabUpstream.forHierarchy(vertx).start().await();
    MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
    proxy = ProxyHarness.start(vertx, upstream.address(), clock, o -> {
      o.trustAnchorFile = LabWorld.get().trustAnchorFile().toString();
      o.now = LabWorld.NOW.toString();
      o.cacheMaxEntries = String.valueOf(CACHE_CAP);
      o.maxTcpConnections = String.valueOf(TCP_CAP);
      o.tcpIdleTimeout = "1";
    });
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
    vertx.close().await();
  }

  @Test
  void aFloodOfUniqueNamesKeepsTheCacheWithinItsCap() throws Exception {
    int names = 1200;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> rcodes = new ArrayList<>();
      for (int i = 0; i < names; i++) {
        // Names in an insecure zone: each denial comes from the upstream and is cached (names
        // under a held, validated wildcard would be answered from the held proof, not cached).
        Name n = Name.fromConstantString("flood-" + i + ".insecure.test.");
        rcodes.add(pool.submit(() -> proxy.query(n, Type.A, false).getRcode()));
      }
      long ok = 0;
      for (Future<Integer> f : rcodes) {
        ok += f.get() == Rcode.NXDOMAIN ? 1 : 0;
      }
      assertEquals(names, ok, "every unique name answered");
    } finally {
      pool.shutdownNow();
    }
    long size = proxy.server.cache().size();
    System.out.println("cache after " + names + " unique names: " + size + " entries (cap " + CACHE_CAP + "), "
        + proxy.server.cache().evictions() + " evictions; key cache " + proxy.server.keyCache().size());
    assertTrue(size <= CACHE_CAP, "cache holds " + size);
    assertTrue(proxy.server.cache().evictions() >= names - CACHE_CAP);
  }

  @Test
  void slowTcpClientsCannotHoldTheConnectionSlots() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < TCP_CAP; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 2000);
        s.getOutputStream().write(0); // half a length prefix, then nothing
        slow.add(s);
      }
      Thread.sleep(200);
      // Over the cap: closed at once. Meanwhile UDP clients are answered as usual.
      try (Socket extra = new Socket()) {
        extra.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 2000);
        extra.setSoTimeout(2000);
        assertEquals(-1, readOrEnd(extra.getInputStream()), "a connection over the cap is closed");
      }
      Message udp = proxy.query(LabWorld.SECURE_WWW, Type.A, false);
      assertTrue(udp.getHeader().getFlag(Flags.AD), udp::toString);
      // The idle timeout (1 s) frees the slots: the slow clients see their connections end.
      long started = System.nanoTime();
      for (Socket s : slow) {
        s.setSoTimeout(3000);
        assertEquals(-1, readOrEnd(s.getInputStream()), "a slow client was not disconnected");
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(millis < 2500, "slow clients held their slots for " + millis + " ms");
      Message tcp = proxy.query(LabWorld.SECURE_WWW, Type.A, true);
      assertEquals(Rcode.NOERROR, tcp.getRcode(), tcp::toString);
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  /** -1 when the peer closed (or reset) the connection; fails on a timeout. */
  private static int readOrEnd(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the connection stayed open", e);
    } catch (IOException reset) {
      return -1;
    }
  }

}
