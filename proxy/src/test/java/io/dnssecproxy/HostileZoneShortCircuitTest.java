package io.dnssecproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.lab.HostileWorld;
import io.dnssecproxy.lab.LabUpstream;
import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.testing.MutableClock;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Once a zone has served KeyTrap-style signatures or keys, a flood of fresh names below it is refused
 * without a round trip (each would otherwise cost the full work budget again), in enforce mode
 * only, and only for the bogus-key TTL.
 */
class HostileZoneShortCircuitTest {

  private Vertx vertx;
  private LabUpstream upstream;
  private Path anchor;
  private MutableClock clock;
  private ProxyHarness proxy;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    HostileWorld world = HostileWorld.get();
    anchor = Files.createTempFile("hostile-anchor", ".txt");
    Files.writeString(anchor, world.trustAnchorText(), StandardCharsets.US_ASCII);
    upstream = new LabUpstream(vertx, world.zones()).start().await();
    world.hostileAnswers().forEach(upstream::respondWith);
    clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
    proxy = ProxyHarness.start(vertx, upstream.address(), clock, o -> {
      o.trustAnchorFile = anchor.toString();
      o.now = HostileWorld.NOW.toString();
      o.bogusTtl = "60";
    });
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    upstream.close();
    vertx.close().await();
    Files.deleteIfExists(anchor);
  }

  private static Name name(String s) {
    return Name.fromConstantString(s);
  }

  @Test
  void freshNamesBelowAKeyTrapZoneAreRefusedWithoutAskingUpstream() throws Exception {
    Message first = proxy.query(name("a1.wild.keytrap.hostile."), Type.A, false);
    assertEquals(Rcode.SERVFAIL, first.getRcode());
    assertTrue(upstream.count(name("a1.wild.keytrap.hostile."), Type.A) > 0, "the first one had to be fetched");

    for (int i = 2; i < 12; i++) {
      Name fresh = name("a" + i + ".wild.keytrap.hostile.");
      Message m = proxy.query(fresh, Type.A, i % 2 == 0);
      assertEquals(Rcode.SERVFAIL, m.getRcode(), fresh.toString());
      assertEquals(0, upstream.count(fresh, Type.A), fresh + " was forwarded");
    }
    Message good = proxy.query(HostileWorld.GOOD_WWW, Type.A, false);
    assertEquals(Rcode.NOERROR, good.getRcode());
    assertTrue(good.getHeader().getFlag(Flags.AD), "a sibling zone is not affected");
  }

  @Test
  void aZoneSigningWithOversizedRsaKeysIsRefusedWithoutAskingToo() throws Exception {
    assertEquals(Rcode.SERVFAIL, proxy.query(name("d1.wild.bigexp.hostile."), Type.A, false).getRcode());

    Name fresh = name("d2.wild.bigexp.hostile.");
    assertEquals(Rcode.SERVFAIL, proxy.query(fresh, Type.A, false).getRcode());

    assertEquals(0, upstream.count(fresh, Type.A), "forwarded although the zone showed itself hostile");
  }

  @Test
  void permissiveModeStillFetchesAndPassesTheData() throws Exception {
    assertEquals(Rcode.SERVFAIL, proxy.query(name("b1.wild.keytrap.hostile."), Type.A, false).getRcode());

    proxy.server.mode().set(Mode.PERMISSIVE);
    Name fresh = name("b2.wild.keytrap.hostile.");
    Message m = proxy.query(fresh, Type.A, false);

    assertEquals(Rcode.NOERROR, m.getRcode());
    assertFalse(m.getHeader().getFlag(Flags.AD));
    assertTrue(upstream.count(fresh, Type.A) > 0, "permissive mode must see the data to pass it");
  }

  @Test
  void theZoneIsAskedAgainOnceTheBogusTtlHasPassed() throws Exception {
    assertEquals(Rcode.SERVFAIL, proxy.query(name("c1.wild.keytrap.hostile."), Type.A, false).getRcode());

    clock.advance(Duration.ofSeconds(61));
    Name fresh = name("c2.wild.keytrap.hostile.");
    assertEquals(Rcode.SERVFAIL, proxy.query(fresh, Type.A, false).getRcode());

    assertTrue(upstream.count(fresh, Type.A) > 0, "after the bogus TTL the zone gets a new chance");
  }
}
