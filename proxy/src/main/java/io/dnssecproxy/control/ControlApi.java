package io.dnssecproxy.control;

import io.dnssecproxy.observe.ChangeSource;
import io.dnssecproxy.observe.TraceReport;
import io.dnssecproxy.resolve.ChainTracer;
import io.dnssecproxy.policy.DomainNames;
import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.validation.AnchorKeyWatch;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.xbill.DNS.Name;

/**
 * The runtime control API under {@code /control/}, JSON in and out, like unbound-control:
 *
 * <pre>
 * GET  /control/status                      mode, insecure domains, cache and key-cache statistics, trust anchors
 * GET  /control/mode                        the mode in force
 * PUT  /control/mode                        body "enforce" or "permissive"
 * GET  /control/insecure-domains            the insecure domains in force
 * POST /control/insecure-domains/add?name=N
 * POST /control/insecure-domains/remove?name=N
 * POST /control/cache/flush[?name=N]        everything, or N and below (answers and zone keys)
 * GET  /control/trace?name=N[&amp;type=T][&amp;format=text]  the chain of trust for one question, as {@code check} prints it
 * </pre>
 *
 * Changes need {@link AdminAccess} (403 otherwise); bad input gets 400; every error body is
 * {@code {"error":"one line"}}.
 */
public final class ControlApi implements Handler<HttpServerRequest> {

  /** A mode is one word; anything longer is a mistake, not worth buffering. */
  static final int MAX_BODY = 256;

  /** A request the caller got wrong: the status code and the one-line message. */
  private static final class Refused extends RuntimeException {
    final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private final LivePolicy policy;
  private final CacheControl caches;
  private final PolicyDirWatcher watcher;
  private final AdminAccess access;
  private final ChainTracer tracer;
  private final Supplier<JsonArray> trustAnchors;

  /**
   * @param watcher null when no policy directory is configured
   * @param tracer null when traces are not offered
   * @param trustAnchors the anchor zones' key-set state for the status, or null to leave it out
   */
  public ControlApi(LivePolicy policy, CacheControl caches, PolicyDirWatcher watcher, AdminAccess access, ChainTracer tracer,
      Supplier<JsonArray> trustAnchors) {
    this.policy = policy;
    this.caches = caches;
    this.watcher = watcher;
    this.access = access;
    this.tracer = tracer;
    this.trustAnchors = trustAnchors;
  }

  /** The status's trust-anchor part for {@code zones}, as {@code watch} last saw them. */
  public static Supplier<JsonArray> trustAnchors(AnchorKeyWatch watch, Collection<Name> zones) {
    return () -> TrustAnchorStatus.of(watch, zones);
  }

  @Override
  public void handle(HttpServerRequest req) {
    try {
      route(req);
    } catch (Refused e) {
      error(req, e.status, e.getMessage());
    } catch (RuntimeException e) {
      error(req, 500, "internal error: " + e);
    }
  }

  private void route(HttpServerRequest req) {
    switch (req.path()) {
      case "/control/status" -> {
        allow(req, HttpMethod.GET);
        ok(req, status());
      }
      case "/control/mode" -> {
        allow(req, HttpMethod.GET, HttpMethod.PUT);
        if (req.method() == HttpMethod.GET) {
          ok(req, new JsonObject().put("mode", policy.mode().tag()));
        } else {
          changeMode(req);
        }
      }
      case "/control/insecure-domains" -> {
        allow(req, HttpMethod.GET);
        ok(req, new JsonObject().put("insecureDomains", names(policy.insecureDomains())));
      }
      case "/control/insecure-domains/add", "/control/insecure-domains/remove" -> {
        allow(req, HttpMethod.POST);
        mayChange(req);
        Name name = nameParam(req, true, true);
        boolean add = req.path().endsWith("/add");
        ChangeSource source = source(req);
        boolean changed = add ? policy.addInsecureDomain(name, source) : policy.removeInsecureDomain(name, source);
        ok(req, new JsonObject().put("name", name.toString()).put(add ? "added" : "removed", changed)
            .put("insecureDomains", policy.insecureDomains().size()));
      }
      case "/control/cache/flush" -> {
        allow(req, HttpMethod.POST);
        mayChange(req);
        Name name = nameParam(req, false, false);
        CacheControl.Flushed f = caches.flush(name, source(req));
        ok(req, new JsonObject().put("flushed", name == null ? "all" : name.toString())
            .put("answers", f.answers()).put("keys", f.keys()));
      }
      case "/control/trace" -> {
        allow(req, HttpMethod.GET);
        if (tracer == null) {
          throw new Refused(404, "traces are not offered here");
        }
        trace(req);
      }
      default -> throw new Refused(404, "no such control endpoint: " + req.path()
          + " (try /control/status, /control/mode, /control/insecure-domains, /control/cache/flush, /control/trace?name=N)");
    }
  }

  /** Read-only, like status: it asks the upstream but changes nothing. */
  private void trace(HttpServerRequest req) {
    Name name = nameParam(req, true, false);
    String typeText = req.getParam("type", "A");
    int type = org.xbill.DNS.Type.value(typeText.toUpperCase(java.util.Locale.ROOT));
    if (type < 0) {
      throw new Refused(400, "unknown record type '" + typeText + "'");
    }
    boolean text = "text".equals(req.getParam("format"));
    tracer.trace(name, type).onComplete(ar -> {
      if (ar.failed()) {
        error(req, 502, "no answer from the upstream: " + ar.cause().getMessage());
        return;
      }
      ChainTracer.Result r = ar.result();
      String rcode = org.xbill.DNS.Rcode.string(r.response().getRcode());
      if (text) {
        req.response().putHeader("content-type", "text/plain; charset=utf-8")
            .end(TraceReport.text(name + " " + org.xbill.DNS.Type.string(type), rcode, r.trace(), r.verdict()));
      } else {
        ok(req, new JsonObject(TraceReport.json(name.toString(), org.xbill.DNS.Type.string(type), rcode, r.trace(), r.verdict())));
      }
    });
  }

  private void changeMode(HttpServerRequest req) {
    mayChange(req);
    String length = req.getHeader("content-length");
    if (length != null && (!length.trim().matches("\\d{1,9}") || Integer.parseInt(length.trim()) > MAX_BODY)) {
      throw new Refused(400, "the body is one word: enforce or permissive");
    }
    ChangeSource source = source(req);
    req.body().onComplete(ar -> {
      try {
        if (ar.failed()) {
          throw new Refused(400, "could not read the body: " + ar.cause().getMessage());
        }
        String text = ar.result().toString().trim();
        if (text.length() > MAX_BODY) {
          throw new Refused(400, "the body is one word: enforce or permissive");
        }
        Mode next;
        try {
          next = Mode.parse(text);
        } catch (IllegalArgumentException e) {
          throw new Refused(400, e.getMessage());
        }
        Mode previous = policy.setMode(next, source);
        ok(req, new JsonObject().put("mode", next.tag()).put("previous", previous.tag()).put("changed", previous != next));
      } catch (Refused e) {
        error(req, e.status, e.getMessage());
      }
    });
  }

  private JsonObject status() {
    CacheControl.Stats s = caches.stats();
    JsonObject o = new JsonObject()
        .put("mode", policy.mode().tag())
        .put("insecureDomains", names(policy.insecureDomains()))
        .put("cache", new JsonObject().put("entries", s.entries()).put("hits", s.hits()).put("misses", s.misses())
            .put("evictions", s.evictions()))
        .put("keyCache", new JsonObject().put("entries", s.keyEntries()))
        .put("changes", access.describe());
    if (trustAnchors != null) {
      o.put("trustAnchors", trustAnchors.get());
    }
    if (watcher != null) {
      JsonObject rejected = new JsonObject();
      for (Map.Entry<String, String> e : watcher.rejected().entrySet()) {
        rejected.put(e.getKey(), e.getValue());
      }
      o.put("policyDir", new JsonObject().put("path", watcher.dir().toString()).put("rejected", rejected));
    }
    return o;
  }

  private void mayChange(HttpServerRequest req) {
    String refusal = access.refusal(req.getHeader("authorization"));
    if (refusal != null) {
      throw new Refused(403, refusal);
    }
  }

  private static void allow(HttpServerRequest req, HttpMethod... methods) {
    if (!List.of(methods).contains(req.method())) {
      req.response().putHeader("allow", String.join(", ", List.of(methods).stream().map(HttpMethod::name).toList()));
      throw new Refused(405, req.method() + " is not allowed on " + req.path());
    }
  }

  private static Name nameParam(HttpServerRequest req, boolean required, boolean insecureDomain) {
    List<String> values = req.params().getAll("name");
    if (values.isEmpty()) {
      if (required) {
        throw new Refused(400, "missing ?name=DOMAIN");
      }
      return null;
    }
    if (values.size() > 1) {
      throw new Refused(400, "one name at a time");
    }
    try {
      return insecureDomain ? DomainNames.parseInsecureDomain(values.get(0)) : DomainNames.parse(values.get(0));
    } catch (IllegalArgumentException e) {
      throw new Refused(400, e.getMessage());
    }
  }

  private static ChangeSource source(HttpServerRequest req) {
    return ChangeSource.api(req.remoteAddress() == null ? null : req.remoteAddress().hostAddress());
  }

  private static JsonArray names(Set<Name> names) {
    JsonArray a = new JsonArray();
    names.forEach(n -> a.add(n.toString()));
    return a;
  }

  private static void ok(HttpServerRequest req, JsonObject body) {
    send(req, 200, body);
  }

  private static void error(HttpServerRequest req, int status, String message) {
    send(req, status, new JsonObject().put("error", message.replace('\n', ' ')));
  }

  private static void send(HttpServerRequest req, int status, JsonObject body) {
    if (!req.response().ended()) {
      req.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode() + "\n");
    }
  }
}
