package io.dnssecproxy.cli;

import io.dnssecproxy.config.HostPort;
import io.dnssecproxy.config.TimeParser;
import io.dnssecproxy.observe.TraceReport;
import io.dnssecproxy.resolve.ChainTracer;
import io.dnssecproxy.upstream.UpstreamMetrics;
import io.dnssecproxy.upstream.UpstreamPool;
import io.dnssecproxy.upstream.UpstreamPoolOptions;
import io.dnssecproxy.validation.AlgorithmPolicy;
import io.dnssecproxy.validation.CryptoProviders;
import io.dnssecproxy.validation.NegativeTrustAnchors;
import io.dnssecproxy.validation.TrustAnchors;
import io.dnssecproxy.validation.ValidatorSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code check NAME [TYPE]}: resolves one question through the same upstream client and
 * validator as the proxy, with an empty key cache so every link is shown, and prints the chain
 * of trust zone by zone (like {@code delv +vtrace}), the failed link marked, the verdict last.
 * Exit code 0 when the answer is secure or insecure, 3 when it is bogus, 1 when no answer came.
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Trace the chain of trust for one name, from the trust anchor down, and print the verdict.")
public final class CheckCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The name to check, e.g. www.example.com")
  String name;

  @Parameters(index = "1", paramLabel = "TYPE", defaultValue = "A", description = "Record type (default A)")
  String type;

  @Option(names = "--upstream", paramLabel = "HOST:PORT", split = ",", required = true,
      description = "Upstream resolver(s) to ask, as the proxy would (DO+CD). Repeatable.")
  List<String> upstream = new ArrayList<>();

  @Option(names = "--trust-anchor-file", paramLabel = "FILE", description = "DS/DNSKEY anchors (default: built-in root KSKs).")
  String trustAnchorFile;

  @Option(names = "--now", paramLabel = "TIME", description = "Validation time (Unix seconds or ISO-8601).")
  String now;

  @Option(names = "--enable-algorithm", paramLabel = "N", split = ",", description = "Also accept DNSSEC algorithm N (3, 6, 12).")
  List<Integer> enableAlgorithm = new ArrayList<>();

  @Option(names = "--insecure-domain", paramLabel = "NAME", split = ",", description = "Extra insecure domain (negative trust anchor).")
  List<String> insecureDomain = new ArrayList<>();

  @Option(names = "--cluster-domain", paramLabel = "NAME", defaultValue = "cluster.local.", description = "Cluster domain (insecure).")
  String clusterDomain;

  @Option(names = "--json", description = "Print the trace as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Name qname;
    int qtype = Type.value(type.toUpperCase(java.util.Locale.ROOT));
    List<InetSocketAddress> servers = new ArrayList<>();
    TrustAnchors anchors;
    Set<Name> insecure = new LinkedHashSet<>();
    try {
      qname = Name.fromString(name, Name.root);
      for (String d : insecureDomain) {
        insecure.add(Name.fromString(d, Name.root));
      }
      for (String u : upstream) {
        servers.add(HostPort.parse(u, 53));
      }
      anchors = trustAnchorFile == null ? TrustAnchors.builtIn() : TrustAnchors.fromFile(Path.of(trustAnchorFile));
    } catch (IllegalArgumentException | IOException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (qtype < 0) {
      throw new ParameterException(spec.commandLine(), "unknown record type '" + type + "'");
    }
    CryptoProviders.installBouncyCastle();
    Clock wall = Clock.systemUTC();
    Clock validationClock = now == null ? wall : Clock.offset(wall, Duration.between(wall.instant(), parseTime(now)));
    ValidatorSettings settings = ValidatorSettings.defaults().withAlgorithms(AlgorithmPolicy.withEnabled(Set.copyOf(enableAlgorithm)));
    NegativeTrustAnchors ntas = NegativeTrustAnchors.defaultsPlus(clusterDomain, insecure);
    Vertx vertx = Vertx.vertx();
    try {
      Context context = vertx.getOrCreateContext();
      Promise<ChainTracer.Result> done = Promise.promise();
      context.runOnContext(v -> {
        UpstreamPool pool = UpstreamPool.create(vertx, servers, UpstreamPoolOptions.defaults(), UpstreamMetrics.NOOP);
        new ChainTracer(pool, settings, anchors, () -> ntas, validationClock, wall).trace(qname, qtype).onComplete(done);
      });
      ChainTracer.Result r = done.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      String rcode = Rcode.string(r.response().getRcode());
      if (json) {
        out.println(TraceReport.json(qname.toString(), Type.string(qtype), rcode, r.trace(), r.verdict()));
      } else {
        out.print(TraceReport.text(qname + " " + Type.string(qtype), rcode, r.trace(), r.verdict()));
      }
      out.flush();
      return r.verdict().isBogus() ? 3 : 0;
    } catch (java.util.concurrent.ExecutionException e) {
      spec.commandLine().getErr().println("dnssec-proxy check: no answer: " + e.getCause().getMessage());
      return 1;
    } finally {
      vertx.close();
    }
  }

  private Instant parseTime(String text) {
    try {
      return TimeParser.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--now: " + e.getMessage());
    }
  }

}
