package io.dnssecproxy.inject;

import io.dnssecproxy.config.ConfigException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dnssec-proxy injector render-patch}: answers one AdmissionReview offline, with the same
 * handler the webhook runs, and prints the answer with its patch decoded. For debugging a pod
 * that did not get the sidecar (or got it wrong) without a cluster.
 */
@Command(
    name = "render-patch",
    mixinStandardHelpOptions = true,
    description = {"Answer one AdmissionReview (a file, or - for stdin) as the webhook would; print the answer with the JSON Patch decoded.", ""},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:answered (injected or not)", "1:not an AdmissionReview", "2:bad usage or template"})
final class RenderPatchCommand implements Callable<Integer> {

  @Option(names = "--sidecar-template", paramLabel = "FILE", required = true,
      description = "The chart's sidecar.json, e.g. from: kubectl get configmap RELEASE-dnssec-proxy-injector-sidecar -o jsonpath='{.data.sidecar\\.json}'")
  Path template;

  @Parameters(paramLabel = "REVIEW", defaultValue = "-", description = "AdmissionReview JSON file; - (the default) reads stdin.")
  String review;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    SidecarTemplate parsed;
    try {
      parsed = SidecarTemplate.read(template);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--sidecar-template " + e.getMessage());
    }
    String text = review.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : read(Path.of(review));
    List<String> log = new ArrayList<>();
    JsonObject answer;
    try {
      answer = new AdmissionHandler(parsed, new InjectorMetrics(new SimpleMeterRegistry()), log::add, Clock.systemUTC())
          .review(new JsonObject(text));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      spec.commandLine().getErr().println("dnssec-proxy: " + review + ": " + e.getMessage());
      return 1;
    }
    JsonObject response = answer.getJsonObject("response");
    String patch = response.getString("patch");
    if (patch != null) {
      response.put("patch", new JsonArray(new String(Base64.getDecoder().decode(patch), StandardCharsets.UTF_8)));
    }
    spec.commandLine().getOut().println(answer.encodePrettily());
    log.forEach(spec.commandLine().getErr()::println);
    return 0;
  }

  private static String read(Path file) throws ConfigException {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(file + ": " + e);
    }
  }
}
