package io.dnssecproxy.observe;

import static io.dnssecproxy.observe.ScrapeAssertions.assertScrapeHas;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.lab.KeyRole;
import io.dnssecproxy.lab.LabKeys;
import io.dnssecproxy.validation.AnchorKeyWatch;
import io.dnssecproxy.validation.TrustAnchors;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/** What an operator sees of a trust-anchor zone's key rollover: two gauges per anchor zone and one log line per change. */
class AnchorKeyReportTest {

  private static final int KSK = DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY;

  private static DNSKEYRecord ksk(int index) {
    try {
      return new DNSKEYRecord(Name.root, DClass.IN, 3600, KSK, DNSKEYRecord.Protocol.DNSSEC, DNSSEC.Algorithm.ECDSAP256SHA256,
          LabKeys.keyPair(DNSSEC.Algorithm.ECDSAP256SHA256, KeyRole.KSK, 950 + index).getPublic());
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException(e);
    }
  }

  private final DNSKEYRecord current = ksk(1);
  private final DNSKEYRecord next = ksk(2);
  private final TrustAnchors.Anchor root =
      new TrustAnchors.Anchor(Name.root, List.of(new DSRecord(Name.root, DClass.IN, 3600, DSRecord.Digest.SHA256, current)), List.of());

  @Test
  void gaugesCountNewKsksAndUnusedAnchorsPerAnchorZone() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AnchorKeyWatch watch = new AnchorKeyWatch();
    StateMeters.bindAnchorKeys(registry, watch, List.of(Name.root, Name.fromString("corp.example.")));
    assertScrapeHas(registry, "dnssec_proxy_trust_anchor_new_ksks{zone=\".\"} 0.0",
        "dnssec_proxy_trust_anchor_unused{zone=\".\"} 0.0", "dnssec_proxy_trust_anchor_new_ksks{zone=\"corp.example.\"} 0.0");

    watch.observe(root, List.of(current, next));
    assertScrapeHas(registry, "dnssec_proxy_trust_anchor_new_ksks{zone=\".\"} 1.0",
        "dnssec_proxy_trust_anchor_unused{zone=\".\"} 0.0", "dnssec_proxy_trust_anchor_new_ksks{zone=\"corp.example.\"} 0.0");

    watch.observe(root, List.of(next));
    assertScrapeHas(registry, "dnssec_proxy_trust_anchor_new_ksks{zone=\".\"} 1.0",
        "dnssec_proxy_trust_anchor_unused{zone=\".\"} 1.0");
  }

  @Test
  void eachChangeIsOneJsonLineWithTheTagsAndWhatToDo() {
    List<String> lines = new ArrayList<>();
    AnchorKeyWatch watch = new AnchorKeyWatch();
    watch.onChange(new AnchorKeyReport(lines::add, Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC)));
    watch.observe(root, List.of(current));
    watch.observe(root, List.of(current, next));
    watch.observe(root, List.of(current, next));
    assertEquals(1, lines.size(), lines::toString);
    String line = lines.get(0);
    assertTrue(line.startsWith("{\"time\":\"2026-11-22T10:00:00Z\",\"event\":\"trust-anchor-keys\",\"zone\":\".\""), line);
    assertTrue(line.contains("\"new_ksks\":[" + next.getFootprint() + "],\"unused_anchors\":[]"), line);
    assertTrue(line.contains("key rollover"), line);
  }
}
