package io.dnssecproxy.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.MainAccess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InjectorCommandTest {

  @TempDir Path dir;

  private Path file(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void helpNamesTheLabelsAndAnnotations() {
    MainAccess.Run run = MainAccess.run(Map.of(), "injector", "--help");

    assertEquals(0, run.exit());
    for (String name : new String[] {"dnssec-proxy.io/inject=enabled", "dnssec-proxy.io/mode", "--tls-cert-file", "render-patch"}) {
      assertTrue(run.out().contains(name), name + " in:\n" + run.out());
    }
  }

  @Test
  void withoutACertificateTheInjectorRefusesToStart() throws Exception {
    MainAccess.Run run = MainAccess.run(Map.of(), "injector", "--sidecar-template", file("t.json", Reviews.resource("sidecar-template.json")).toString());

    assertEquals(2, run.exit());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().contains("--tls-cert-file"), run.err());
  }

  @Test
  void aBrokenTemplateOrModeIsAConfigurationError() throws Exception {
    String cert = file("c.pem", Reviews.resource("tls/cert-a.pem")).toString();
    String key = file("k.pem", Reviews.resource("tls/key-a.pem")).toString();

    MainAccess.Run template = MainAccess.run(Map.of(), "injector", "--tls-cert-file", cert, "--tls-key-file", key,
        "--sidecar-template", file("t.json", "{\"initContainer\": {}}").toString());
    MainAccess.Run mode = MainAccess.run(Map.of("DNSSEC_PROXY_DEFAULT_MODE", "strict"), "injector", "--tls-cert-file", cert, "--tls-key-file", key,
        "--sidecar-template", file("u.json", Reviews.resource("sidecar-template.json")).toString());

    assertEquals(2, template.exit());
    assertTrue(template.err().contains("--sidecar-template") && template.err().contains("t.json"), template.err());
    assertEquals(2, mode.exit(), "the environment is read like the proxy's: " + mode.err());
    assertTrue(mode.err().contains("--default-mode") && mode.err().contains("strict"), mode.err());
  }

  @Test
  void renderPatchAnswersAReviewOfflineWithThePatchDecoded() throws Exception {
    MainAccess.Run run = MainAccess.run(Map.of(), "injector", "render-patch",
        "--sidecar-template", file("t.json", Reviews.resource("sidecar-template.json")).toString(),
        file("review.json", Reviews.resource("reviews/mode-annotation.json")).toString());

    assertEquals(0, run.exit(), run.err());
    JsonObject response = new JsonObject(run.out()).getJsonObject("response");
    assertEquals(true, response.getBoolean("allowed"));
    JsonArray patch = response.getJsonArray("patch");
    assertTrue(patch.stream().map(JsonObject.class::cast).anyMatch(op -> op.getString("path").equals("/spec/initContainers")),
        patch.encodePrettily());
    assertTrue(run.err().contains("\"event\":\"injected\""), run.err());
  }

  @Test
  void renderPatchOfSomethingElseFails() throws Exception {
    MainAccess.Run run = MainAccess.run(Map.of(), "injector", "render-patch",
        "--sidecar-template", file("t.json", Reviews.resource("sidecar-template.json")).toString(),
        file("review.json", Reviews.resource("reviews/malformed.json")).toString());

    assertEquals(1, run.exit());
    assertTrue(run.err().contains("no request.uid"), run.err());
  }
}
