package io.dnssecproxy.control;

import io.dnssecproxy.validation.AnchorKeyWatch;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * The {@code trustAnchors} part of {@code /control/status}: per anchor zone, whether its key set
 * has been validated yet and how it compares with the configured anchors (see {@link AnchorKeyWatch}).
 */
final class TrustAnchorStatus {

  private TrustAnchorStatus() {}

  static JsonArray of(AnchorKeyWatch watch, Collection<Name> zones) {
    JsonArray all = new JsonArray();
    for (Name zone : zones) {
      AnchorKeyWatch.Observation seen = watch.latest(zone);
      JsonObject o = new JsonObject().put("zone", zone.toString()).put("checked", seen != null);
      if (seen != null) {
        o.put("newKsks", tags(seen.newKsks())).put("unusedAnchors", tags(seen.unusedAnchors()));
      }
      all.add(o);
    }
    return all;
  }

  private static JsonArray tags(List<Integer> tags) {
    return new JsonArray(List.copyOf(tags));
  }
}
