package io.dnssecproxy.inject;

import io.dnssecproxy.observe.JsonLine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * Answers one admission.k8s.io/v1 AdmissionReview for a pod with a JSON Patch that adds the
 * sidecar, or with no patch. It never refuses a pod: whatever goes wrong in here (a pod shape
 * the code did not expect, a bug) the pod is admitted unchanged, with a warning kubectl shows,
 * a log line and the {@code failed} counter. Only a body that is no AdmissionReview at all is
 * refused (the caller answers 400), since there is no uid to answer to.
 */
public final class AdmissionHandler {

  static final String API_VERSION = "admission.k8s.io/v1";

  private final SidecarTemplate template;
  private final InjectorMetrics metrics;
  private final Consumer<String> log;
  private final Clock clock;

  public AdmissionHandler(SidecarTemplate template, InjectorMetrics metrics, Consumer<String> log, Clock clock) {
    this.template = template;
    this.metrics = metrics;
    this.log = log;
    this.clock = clock;
  }

  /** @throws IllegalArgumentException when the body has no request.uid to answer */
  public JsonObject review(JsonObject review) {
    JsonObject request = review == null ? null : review.getValue("request") instanceof JsonObject r ? r : null;
    String uid = request == null ? null : request.getValue("uid") instanceof String s ? s : null;
    if (uid == null || uid.isEmpty()) {
      throw new IllegalArgumentException("not an AdmissionReview: no request.uid");
    }
    JsonObject response = new JsonObject().put("uid", uid).put("allowed", true);
    String where = "?";
    try {
      JsonObject pod = request.getJsonObject("object");
      where = describe(request, pod);
      if (!isPodCreation(request) || pod == null) {
        return skipped(response, where, "not a pod creation", null);
      }
      InjectionDecision decision = InjectionDecision.decide(pod, template);
      if (decision instanceof InjectionDecision.Skip skip) {
        return skipped(response, where, skip.reason(), skip.warning());
      }
      InjectionDecision.Inject inject = (InjectionDecision.Inject) decision;
      SidecarPatch.Result patch = SidecarPatch.build(pod, namespace(request, pod), template, inject.podMode());
      response.put("patchType", "JSONPatch")
          .put("patch", Base64.getEncoder().encodeToString(patch.operations().encode().getBytes(StandardCharsets.UTF_8)));
      warn(response, inject.warnings());
      warn(response, patch.warnings());
      metrics.review(InjectorMetrics.Review.INJECTED);
      log.accept(new JsonLine(clock.instant(), "injected").field("pod", where)
          .field("mode", inject.podMode().map(m -> m.tag() + " (pod annotation)").orElse("namespace")).toString());
      return wrap(response);
    } catch (RuntimeException e) {
      // Our failure must not become the application's: admit the pod as it came.
      response.remove("patchType");
      response.remove("patch");
      response.remove("warnings");
      warn(response, List.of("dnssec-proxy: injector error, pod admitted without the sidecar: " + e));
      metrics.review(InjectorMetrics.Review.FAILED);
      log.accept(new JsonLine(clock.instant(), "inject-failed").field("pod", where).field("error", String.valueOf(e)).toString());
      return wrap(response);
    }
  }

  private static boolean isPodCreation(JsonObject request) {
    JsonObject kind = request.getJsonObject("kind", new JsonObject());
    return "CREATE".equals(request.getString("operation")) && "Pod".equals(kind.getString("kind"))
        && (kind.getString("group") == null || kind.getString("group").isEmpty())
        && (request.getString("subResource") == null || request.getString("subResource").isEmpty());
  }

  private static String namespace(JsonObject request, JsonObject pod) {
    String ns = request.getString("namespace");
    if (ns == null || ns.isEmpty()) {
      ns = pod.getJsonObject("metadata", new JsonObject()).getString("namespace");
    }
    if (ns == null || ns.isEmpty()) {
      throw new IllegalArgumentException("the request names no namespace");
    }
    return ns;
  }

  /** namespace/name, or namespace/generateName* for pods of a ReplicaSet, which have no name yet. */
  private static String describe(JsonObject request, JsonObject pod) {
    JsonObject meta = pod == null ? new JsonObject() : pod.getJsonObject("metadata", new JsonObject());
    String name = meta.getString("name");
    if (name == null || name.isEmpty()) {
      name = meta.getString("generateName", "") + "*";
    }
    return request.getString("namespace", meta.getString("namespace", "")) + "/" + name;
  }

  private JsonObject skipped(JsonObject response, String where, String reason, String warning) {
    if (warning != null) {
      warn(response, List.of(warning));
    }
    metrics.review(InjectorMetrics.Review.SKIPPED);
    log.accept(new JsonLine(clock.instant(), "inject-skipped").field("pod", where).field("reason", reason).toString());
    return wrap(response);
  }

  private static void warn(JsonObject response, List<String> warnings) {
    if (!warnings.isEmpty()) {
      JsonArray all = response.getJsonArray("warnings", new JsonArray());
      warnings.forEach(all::add);
      response.put("warnings", all);
    }
  }

  private static JsonObject wrap(JsonObject response) {
    return new JsonObject().put("apiVersion", API_VERSION).put("kind", "AdmissionReview").put("response", response);
  }
}
