package io.dnssecproxy.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.zjsonpatch.JsonPatch;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * AdmissionReview fixtures (src/test/resources/injector) and their answers. A patch is applied
 * with fabric8's zjsonpatch, an RFC 6902 implementation independent of the code under test.
 */
final class Reviews {

  private static final ObjectMapper JACKSON = new ObjectMapper();

  private Reviews() {}

  static String resource(String path) {
    try (InputStream in = Reviews.class.getResourceAsStream("/injector/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource injector/" + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonObject review(String name) {
    return new JsonObject(resource("reviews/" + name + ".json"));
  }

  static SidecarTemplate template() {
    return SidecarTemplate.parse(resource("sidecar-template.json"));
  }

  /** The decoded JSON Patch of an answer, or null when it has none. */
  static JsonArray patch(JsonObject answer) {
    String patch = answer.getJsonObject("response").getString("patch");
    return patch == null ? null : new JsonArray(new String(Base64.getDecoder().decode(patch), StandardCharsets.UTF_8));
  }

  /** The pod of the review with the answer's patch applied. */
  static JsonObject patchedPod(JsonObject review, JsonObject answer) {
    JsonObject pod = review.getJsonObject("request").getJsonObject("object");
    JsonArray patch = patch(answer);
    if (patch == null) {
      return pod.copy();
    }
    try {
      JsonNode result = JsonPatch.apply(JACKSON.readTree(patch.encode()), JACKSON.readTree(pod.encode()));
      return new JsonObject(JACKSON.writeValueAsString(result));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
