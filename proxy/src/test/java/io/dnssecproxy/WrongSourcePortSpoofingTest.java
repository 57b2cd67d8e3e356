package io.dnssecproxy;

import static io.dnssecproxy.ProxyEndToEndTest.answerText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.testing.MutableClock;
import io.dnssecproxy.lab.RecursiveAnswerer;
import io.dnssecproxy.lab.Spoof;
import io.dnssecproxy.lab.Spoofer;
import io.dnssecproxy.lab.LabWorld;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Forgeries that get everything right (ID, question, even the data's shape) except where they
 * come from: sent from another port of the upstream's host, ahead of the genuine answer. The
 * upstream client must ignore them, so the proxy in enforce mode never answers with, nor caches,
 * the forged address.
 */
class WrongSourcePortSpoofingTest {

  private Vertx vertx;
  private DatagramSocket upstream;
  private DatagramSocket spoofer;
  private ProxyHarness proxy;
  private final AtomicInteger forgeriesSent = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    RecursiveAnswerer genuine = new RecursiveAnswerer(LabWorld.get().zones());
    spoofer = vertx.createDatagramSocket();
    spoofer.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    upstream = vertx.createDatagramSocket();
    upstream.handler(p -> {
      Message query;
      try {
        query = new Message(p.data().getBytes());
      } catch (Exception e) {
        return;
      }
      Message real = genuine.respond(query);
      String host = p.sender().host();
      int port = p.sender().port();
      // Right ID, right question, forged data (unsigned, and with the original signatures kept),
      // from the wrong port; the genuine answer trails by 50 ms.
      if (query.getQuestion().getType() == Type.A) {
        for (Spoof kind : new Spoof[] {Spoof.UNSIGNED, Spoof.BAD_SIGNATURE}) {
          spoofer.send(Buffer.buffer(Spoofer.forge(real, kind).toWire()), port, host);
          forgeriesSent.incrementAndGet();
        }
      }
      vertx.setTimer(50, t -> upstream.send(Buffer.buffer(real.toWire()), port, host));
    });
    upstream.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
    proxy = ProxyHarness.start(vertx, new InetSocketAddress("127.0.0.1", upstream.localAddress().port()), clock, o -> {
      o.trustAnchorFile = LabWorld.get().trustAnchorFile().toString();
      o.now = LabWorld.NOW.toString();
      o.mode = "enforce";
    });
  }

  @AfterEach
  void stop() {
    proxy.close();
    vertx.close().await();
  }

  @Test
  void answersFromAnotherSourcePortAreIgnoredAndNeverCached() throws Exception {
    for (int i = 0; i < 3; i++) {
      Message r = proxy.query(LabWorld.SECURE_WWW, Type.A, false);
      assertEquals(Rcode.NOERROR, r.getRcode(), r::toString);
      assertTrue(r.getHeader().getFlag(Flags.AD), r::toString);
      assertTrue(answerText(r).contains("192.0.2.1"), r::toString);
      assertFalse(answerText(r).contains(Spoofer.SPOOFED_V4), r::toString);
    }
    Message overTcp = proxy.query(LabWorld.SECURE_WWW, Type.A, true);
    assertFalse(answerText(overTcp).contains(Spoofer.SPOOFED_V4), overTcp::toString);
    Message wildcard = proxy.query(LabWorld.SECURE_WILDCARD_HOST, Type.A, false);
    assertTrue(answerText(wildcard).contains("192.0.2.2"), wildcard::toString);
    assertTrue(forgeriesSent.get() >= 4, "the spoofer raced " + forgeriesSent.get() + " times");
  }
}
