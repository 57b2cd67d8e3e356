package io.dnssecproxy;

import io.dnssecproxy.config.ConfigLoader;
import io.dnssecproxy.config.ProxyConfig;
import io.dnssecproxy.config.ProxyOptions;
import io.dnssecproxy.observe.EventLog;
import io.dnssecproxy.observe.UpstreamMeters;
import io.dnssecproxy.upstream.UpstreamPool;
import io.dnssecproxy.upstream.UpstreamPoolOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;

/** A real proxy on 127.0.0.1 (random port), started in-process, plus a DNS client for it. */
final class ProxyHarness implements AutoCloseable {

  final ProxyServer server;
  /** The JSON lines the proxy's event log wrote. */
  final List<String> events;
  private final Vertx vertx;
  private final String deployment;

  private ProxyHarness(Vertx vertx, ProxyServer server, String deployment, List<String> events) {
    this.vertx = vertx;
    this.server = server;
    this.deployment = deployment;
    this.events = events;
  }

  /** Starts a proxy with the given options; {@code tweak} may set more of them. */
  static ProxyHarness start(Vertx vertx, InetSocketAddress upstream, Clock clock, Consumer<ProxyOptions> tweak) throws Exception {
    ProxyOptions o = new ProxyOptions();
    o.listen = List.of("127.0.0.1:0");
    o.upstream = List.of(upstream.getAddress().getHostAddress() + ":" + upstream.getPort());
    o.adminListen = "off";
    tweak.accept(o);
    ProxyConfig config = ConfigLoader.build(o);
    List<String> events = new CopyOnWriteArrayList<>();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProxyServer server = new ProxyServer(config, clock, registry,
        v -> UpstreamPool.create(v, config.upstreams(),
            UpstreamPoolOptions.defaults().withTryTimeout(Duration.ofMillis(400)).withQuestionBudget(Duration.ofMillis(900)),
            new UpstreamMeters(registry, config.upstreams())),
        new EventLog(events::add, clock, Duration.ofSeconds(10)));
    String id = vertx.deployVerticle(server).await();
    return new ProxyHarness(vertx, server, id, events);
  }

  int port() {
    return server.boundAddresses().get(0).getPort();
  }

  /** Sends a query; {@code dnssecOk} sets EDNS DO, {@code cd} the CD flag. */
  Message query(Name name, int type, boolean tcp, boolean dnssecOk, boolean cd) throws Exception {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port()));
    r.setTCP(tcp);
    r.setTimeout(Duration.ofSeconds(5));
    r.setEDNS(0, 1232, dnssecOk ? ExtendedFlags.DO : 0, List.of());
    Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    if (cd) {
      q.getHeader().setFlag(Flags.CD);
    }
    return r.send(q);
  }

  Message query(Name name, int type, boolean tcp) throws Exception {
    return query(name, type, tcp, true, false);
  }

  @Override
  public void close() {
    vertx.undeploy(deployment).await();
  }
}
