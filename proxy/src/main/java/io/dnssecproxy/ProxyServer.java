package io.dnssecproxy;

import io.dnssecproxy.cache.ResponseCache;
import io.dnssecproxy.cache.TtlPolicy;
import io.dnssecproxy.config.HostPort;
import io.dnssecproxy.config.ProxyConfig;
import io.dnssecproxy.observe.AnchorKeyReport;
import io.dnssecproxy.observe.EventLog;
import io.dnssecproxy.observe.ProxyMetrics;
import io.dnssecproxy.policy.ModeSwitch;
import io.dnssecproxy.resolve.ChainTracer;
import io.dnssecproxy.resolve.QueryPipeline;
import io.dnssecproxy.resolve.UpstreamKeySource;
import io.dnssecproxy.server.DnsFrontend;
import io.dnssecproxy.server.FrontendLimits;
import io.dnssecproxy.upstream.Upstream;
import io.dnssecproxy.validation.AlgorithmPolicy;
import io.dnssecproxy.validation.CryptoProviders;
import io.dnssecproxy.validation.KeyCache;
import io.dnssecproxy.validation.NegativeTrustAnchors;
import io.dnssecproxy.validation.TrustAnchors;
import io.dnssecproxy.validation.Validator;
import io.dnssecproxy.validation.ValidatorSettings;
import io.dnssecproxy.observe.AdminServer;
import io.dnssecproxy.observe.ChangeLog;
import io.dnssecproxy.observe.FrontendMeters;
import io.dnssecproxy.observe.StateMeters;
import io.dnssecproxy.control.AdminAccess;
import io.dnssecproxy.control.CacheControl;
import io.dnssecproxy.control.ControlApi;
import io.dnssecproxy.control.LivePolicy;
import io.dnssecproxy.control.PolicyDirWatcher;
import io.dnssecproxy.policy.PolicyText;
import io.dnssecproxy.upstream.Question;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The proxy assembled from its configuration: every component built once and wired into the
 * {@link QueryPipeline}, all on one Vert.x event-loop context (one verticle), so the pipeline's
 * in-flight tables need no locks.
 */
public final class ProxyServer extends VerticleBase {

  /** How often the policy directory is read; an edit applies within this (plus the kubelet's sync delay). */
  static final Duration POLICY_POLL = Duration.ofSeconds(2);

  private final ProxyConfig config;
  private final Clock wallClock;
  private final PrometheusMeterRegistry registry;
  private final Function<Vertx, Upstream> upstreamFactory;
  private final EventLog events;
  private final List<DnsFrontend> frontends = new ArrayList<>();
  private final AtomicReference<NegativeTrustAnchors> insecureDomains = new AtomicReference<>();
  private AdminServer admin;
  private volatile boolean listening;
  private volatile boolean upstreamAnswered;
  private ModeSwitch mode;
  private ResponseCache cache;
  private KeyCache keyCache;
  private Validator validator;
  private AdminAccess adminAccess;
  private PolicyDirWatcher policyWatcher;
  private long suppressedReportTimer = -1;

  public ProxyServer(ProxyConfig config, Clock wallClock, PrometheusMeterRegistry registry, Function<Vertx, Upstream> upstreamFactory, EventLog events) {
    this.config = config;
    this.wallClock = wallClock;
    this.registry = registry;
    this.upstreamFactory = upstreamFactory;
    this.events = events;
  }

  @Override
  public Future<?> start() {
    CryptoProviders.installBouncyCastle();
    TrustAnchors anchors;
    try {
      anchors = config.trustAnchorFile().isPresent() ? TrustAnchors.fromFile(config.trustAnchorFile().get()) : TrustAnchors.builtIn();
    } catch (IOException e) {
      return Future.failedFuture(new UncheckedIOException("trust anchors: " + e.getMessage(), e));
    }
    // --now pins the validation time at start-up; it then advances with the wall clock.
    Clock validationClock = config.now()
        .map(t -> Clock.offset(wallClock, Duration.between(wallClock.instant(), t)))
        .orElse(wallClock);
    // The policy directory was checked by the config loader; it overrides the mode and adds domains.
    PolicyText.Policy filePolicy = config.policyDir().map(d -> PolicyText.parse(d.atStart()))
        .orElse(new PolicyText.Policy(Optional.empty(), List.of()));
    NegativeTrustAnchors configuredDomains = NegativeTrustAnchors.defaultsPlus(config.clusterDomain(), config.insecureDomains());
    insecureDomains.set(NegativeTrustAnchors.of(LivePolicy.union(configuredDomains, filePolicy.insecureDomains())));
    ValidatorSettings settings = ValidatorSettings.defaults()
        .withAlgorithms(AlgorithmPolicy.withEnabled(config.enabledAlgorithms()))
        .withClockSkew(config.validation().clockSkew())
        .withNsec3IterationLimit(config.validation().nsec3MaxIterations())
        .withBogusKeyTtl(config.cache().bogusTtl())
        .withHardenAlgoDowngrade(config.validation().hardenAlgoDowngrade())
        .withAggressiveNsec(config.validation().aggressiveNsec());
    Upstream upstream = upstreamFactory.apply(vertx);
    keyCache = new KeyCache(10_000, wallClock);
    validator = new Validator(settings, anchors, insecureDomains::get, keyCache, new UpstreamKeySource(upstream),
        validationClock, wallClock);
    ProxyConfig.Cache c = config.cache();
    cache = new ResponseCache(c.maxEntries(), c.maxBytes(), c.serveStale(), c.staleMaxAge(), wallClock);
    mode = new ModeSwitch(filePolicy.mode().orElse(config.mode()));
    ProxyMetrics metrics = new ProxyMetrics(registry);
    QueryPipeline pipeline = new QueryPipeline(cache, new TtlPolicy(c.maxTtl(), c.negativeMaxTtl(), c.bogusTtl()), upstream,
        validator, mode, metrics, events, wallClock, validationClock, c.staleAnswerTtl(), c.prefetch(), namespace());
    ChangeLog changes = new ChangeLog(events.sink(), wallClock);
    LivePolicy livePolicy = new LivePolicy(mode, insecureDomains, config.mode(), configuredDomains, () -> {
      keyCache.clear();
      cache.flushAll();
    }, changes);
    if (config.policyDir().isPresent()) {
      policyWatcher = new PolicyDirWatcher(config.policyDir().get().path(), config.policyDir().get().atStart(), livePolicy, changes);
      StateMeters.bindPolicyDir(registry, () -> policyWatcher.rejected().size());
    }
    bindStateMeters();
    List<Name> anchorZones = anchors.all().stream().map(TrustAnchors.Anchor::zone).toList();
    StateMeters.bindAnchorKeys(registry, validator.anchorKeys(), anchorZones);
    validator.anchorKeys().onChange(new AnchorKeyReport(events.sink(), wallClock));
    FrontendMeters frontendMeters = new FrontendMeters(registry);
    FrontendLimits limits = FrontendLimits.defaults()
        .withMaxTcpConnections(config.server().maxTcpConnections())
        .withTcpIdleTimeout(config.server().tcpIdleTimeout());
    Future<Void> all = Future.succeededFuture();
    for (InetSocketAddress address : config.listen()) {
      DnsFrontend f = new DnsFrontend(vertx, address, pipeline, limits, frontendMeters);
      frontends.add(f);
      boolean optional = config.listenDefaulted() && address.getAddress() instanceof Inet6Address;
      all = all.compose(v -> f.start().recover(err -> {
        if (!optional) {
          return Future.failedFuture(err);
        }
        // The default [::1] is best effort: pods with IPv6 disabled still get 127.0.0.1.
        frontends.remove(f);
        System.err.println("{\"event\":\"warning\",\"message\":\"skipping default listen address [::1]: " + err.getMessage().replace('"', '\'') + "\"}");
        return Future.succeededFuture();
      }));
    }
    if (config.adminListen().isPresent()) {
      adminAccess = new AdminAccess(config.adminToken(), config.adminListen().get());
      ChainTracer tracer = new ChainTracer(upstream, settings, anchors, insecureDomains::get, validationClock, wallClock);
      ControlApi control = new ControlApi(livePolicy, new CacheControl(cache, keyCache, metrics, changes), policyWatcher, adminAccess, tracer,
          ControlApi.trustAnchors(validator.anchorKeys(), anchorZones));
      admin = new AdminServer(vertx, config.adminListen().get(), registry, this::notReadyReason, control);
      all = all.compose(v -> admin.start());
    }
    TrustAnchors.Anchor probeZone = anchors.all().iterator().next();
    return all.onSuccess(v -> {
      listening = true;
      probeUpstream(upstream, Question.of(probeZone.zone(), Type.DNSKEY));
      suppressedReportTimer = vertx.setPeriodic(events.interval().toMillis(), t -> events.reportSuppressed());
      if (policyWatcher != null) {
        policyWatcher.start(vertx, POLICY_POLL);
      }
    });
  }

  private void bindStateMeters() {
    StateMeters.bindCache(registry, cache);
    StateMeters.bindKeyCache(registry, keyCache);
    StateMeters.bindSignatures(registry, validator.signatures());
    StateMeters.bindMode(registry, mode);
    StateMeters.bindInsecureDomains(registry, insecureDomains::get);
    StateMeters.bindEventLog(registry, events);
  }

  /**
   * Readiness needs one upstream answer. Asking for a trust anchor's DNSKEY set proves the path
   * and warms the key cache's source; retried every few seconds until it works.
   */
  private void probeUpstream(Upstream upstream, Question probe) {
    upstream.query(probe).onComplete(ar -> {
      if (ar.succeeded()) {
        upstreamAnswered = true;
      } else {
        vertx.setTimer(3000, t -> probeUpstream(upstream, probe));
      }
    });
  }

  /** Null when ready to serve; otherwise what is missing. */
  public String notReadyReason() {
    if (!listening) {
      return "DNS listeners not bound yet";
    }
    if (!upstreamAnswered) {
      return "no upstream has answered yet";
    }
    return null;
  }

  /** The admin server's port (the real one when 0 was asked for), or -1 when disabled. */
  public int adminPort() {
    return admin == null ? -1 : admin.actualPort();
  }

  /** How control changes are authorized ("token", "loopback" or "read-only"), or null without an admin server. */
  public String controlAccess() {
    return adminAccess == null ? null : adminAccess.describe();
  }

  @Override
  public Future<?> stop() {
    if (policyWatcher != null) {
      policyWatcher.stop();
    }
    vertx.cancelTimer(suppressedReportTimer);
    events.reportAllSuppressed();
    List<Future<Void>> closing = new ArrayList<>();
    for (DnsFrontend f : frontends) {
      closing.add(f.close());
    }
    if (admin != null) {
      closing.add(admin.close());
    }
    return Future.join(closing);
  }

  /** The namespace this sidecar serves, from the downward API (POD_NAMESPACE), for logs. */
  private static String namespace() {
    String ns = System.getenv("POD_NAMESPACE");
    return ns == null || ns.isBlank() ? null : ns;
  }

  /** The port each listen address is bound to (the real one when 0 was asked for). */
  public List<InetSocketAddress> boundAddresses() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (DnsFrontend f : frontends) {
      out.add(new InetSocketAddress(f.listenAddress().getAddress(), f.actualPort()));
    }
    return out;
  }

  public String describeListeners() {
    List<String> s = new ArrayList<>();
    for (InetSocketAddress a : boundAddresses()) {
      s.add(HostPort.format(a));
    }
    return String.join(",", s);
  }

  public ModeSwitch mode() {
    return mode;
  }

  public ResponseCache cache() {
    return cache;
  }

  public KeyCache keyCache() {
    return keyCache;
  }

  public AtomicReference<NegativeTrustAnchors> insecureDomains() {
    return insecureDomains;
  }
}
