package io.dnssecproxy.observe;

import io.dnssecproxy.validation.AnchorKeyWatch;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * One JSON line each time a trust-anchor zone's key set stops or starts matching the configured
 * anchors, e.g. when a new root KSK is published:
 * {@code {"time":"…","event":"trust-anchor-keys","zone":".","new_ksks":[12345],"unused_anchors":[],"advice":"…"}}.
 */
public final class AnchorKeyReport implements Consumer<AnchorKeyWatch.Observation> {

  private final Consumer<String> sink;
  private final Clock clock;

  public AnchorKeyReport(Consumer<String> sink, Clock clock) {
    this.sink = sink;
    this.clock = clock;
  }

  @Override
  public void accept(AnchorKeyWatch.Observation seen) {
    sink.accept(new JsonLine(clock.instant(), "trust-anchor-keys").field("zone", seen.zone().toString())
        .numbers("new_ksks", seen.newKsks()).numbers("unused_anchors", seen.unusedAnchors())
        .field("advice", advice(seen)).toString());
  }

  private static String advice(AnchorKeyWatch.Observation seen) {
    if (!seen.newKsks().isEmpty()) {
      return "a KSK no trust anchor matches is published: a key rollover is under way; add its DS or DNSKEY "
          + "to the trust anchors (or upgrade the image) before the old key stops signing";
    }
    if (!seen.unusedAnchors().isEmpty()) {
      return "a configured trust anchor matches no key in use (a revoked or withdrawn KSK): harmless while "
          + "another anchor validates the key set";
    }
    return "every KSK is anchored and every anchor in use";
  }
}
