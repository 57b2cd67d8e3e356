package io.dnssecproxy.loadtest;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line. Open loop ({@code --rates}): one step per rate, latency corrected for
 * coordinated omission. Closed loop (otherwise): {@code --outstanding} queries in flight, as
 * fast as the server answers. Every step stops by itself at {@code --duration} or
 * {@code --max-queries}/{@code --passes}, whichever comes first.
 */
@Command(
    name = "dnssec-loadtest",
    mixinStandardHelpOptions = true,
    version = "dnssec-loadtest 0.1.0",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = "UDP DNS load generator: dnsperf-style query files, open-loop rate sweeps or closed-loop maximum, "
        + "QPS, loss, RCODEs, AD bits and latency percentiles (HdrHistogram) as text and JSON.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every step ran", "1:a step failed to run", "2:bad usage"})
public final class Main implements Callable<Integer> {

  @Option(names = {"-s", "--server"}, description = "server address (an IP literal; default ${DEFAULT-VALUE})", defaultValue = "127.0.0.1")
  String server;

  @Option(names = {"-p", "--port"}, description = "server port (default ${DEFAULT-VALUE})", defaultValue = "53")
  int port;

  @Option(names = {"-a", "--source"}, description = "local address to send from (default: any)")
  String source;

  @Option(names = {"-d", "--queries"}, required = true, description = "query file: one 'name TYPE' per line (dnsperf format)")
  Path queries;

  @Option(names = {"-r", "--rates"}, description = "open-loop sweep, queries/s, e.g. 1000,5000,20k (one step each)")
  String rates;

  @Option(names = {"-c", "--outstanding"}, description = "closed loop: queries kept in flight (default ${DEFAULT-VALUE}); ignored with --rates", defaultValue = "100")
  int outstanding;

  @Option(names = {"-l", "--duration"}, description = "seconds of sending per step (default ${DEFAULT-VALUE}, at most 3600)", defaultValue = "10")
  double durationSeconds;

  @Option(names = {"-n", "--max-queries"}, description = "queries per step at most (0 = no limit; default ${DEFAULT-VALUE})", defaultValue = "0")
  long maxQueries;

  @Option(names = "--passes", description = "passes through the query file per step at most (0 = no limit; e.g. 1 = each name once)", defaultValue = "0")
  long passes;

  @Option(names = {"-t", "--timeout"}, description = "seconds before a query counts as lost (default ${DEFAULT-VALUE})", defaultValue = "2")
  double timeoutSeconds;

  @Option(names = "--warmup", description = "seconds of unreported load at the first step's setting before the steps (default ${DEFAULT-VALUE})", defaultValue = "0")
  double warmupSeconds;

  @Option(names = "--warmup-queries", description = "query file for the warm-up (default: --queries); lets a run over names that must stay unasked warm up on others")
  Path warmupQueries;

  @Option(names = "--pause", description = "seconds between steps (default ${DEFAULT-VALUE})", defaultValue = "1")
  double pauseSeconds;

  @Option(names = "--do", description = "set the EDNS DO bit (ask for DNSSEC records and AD)")
  boolean dnssecOk;

  @Option(names = "--cd", description = "set the CD bit (checking disabled)")
  boolean checkingDisabled;

  @Option(names = "--no-rd", description = "clear the RD bit (set by default, as stub resolvers do)")
  boolean noRecursion;

  @Option(names = "--edns", description = "EDNS UDP payload size; 0 = no OPT record (default ${DEFAULT-VALUE})", defaultValue = "1232")
  int ednsPayload;

  @Option(names = "--threads", description = "event loops (default ${DEFAULT-VALUE})", defaultValue = "1")
  int threads;

  @Option(names = "--sockets", description = "UDP sockets per event loop (default ${DEFAULT-VALUE})", defaultValue = "8")
  int sockets;

  @Option(names = "--spin-us", description = "open loop: wake this many microseconds early and spin, for sends on time (default ${DEFAULT-VALUE}; 0 = timers only)", defaultValue = "100")
  long spinMicros;

  @Option(names = "--json", description = "also write the results as JSON to this file")
  Path json;

  @Option(names = "--label", description = "name of this run in the reports (default: the query file name)")
  String label;

  @Option(names = "--allow-non-loopback", description = "allow a target outside 127.0.0.0/8 and ::1 (e.g. a pod IP)")
  boolean allowNonLoopback;

  private final PrintWriter out;

  Main(PrintWriter out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cmd = new CommandLine(new Main(out));
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
      boolean usage = ex instanceof IllegalArgumentException;
      err.println("dnssec-loadtest: " + (usage ? "" : "error: ") + ex.getMessage());
      return usage ? 2 : 1;
    });
    return cmd.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    List<StepPlan> plans = plans();
    List<QuerySpec> specs = QueryFile.read(queries);
    QueryFlags flags = new QueryFlags(!noRecursion, dnssecOk, checkingDisabled, ednsPayload);
    InetAddress target = literal(server, "--server");
    TargetGuard.check(target, allowNonLoopback);
    InetAddress from = source == null ? null : literal(source, "--source");
    if (threads < 1 || threads > 64 || sockets < 1 || sockets > 1024 || spinMicros < 0 || spinMicros > 10_000) {
      throw new IllegalArgumentException("--threads must be 1..64, --sockets 1..1024, --spin-us 0..10000");
    }
    long perStep = passes > 0 ? passes * specs.size() : 0;
    List<StepPlan> bounded = new ArrayList<>();
    for (StepPlan p : plans) {
      long max = p.maxQueries() == 0 ? perStep : perStep == 0 ? p.maxQueries() : Math.min(perStep, p.maxQueries());
      bounded.add(new StepPlan(p.rate(), p.outstanding(), p.duration(), max, p.timeout()));
    }
    byte[][] templates = QueryEncoder.encodeAll(specs, flags);
    InetSocketAddress to = new InetSocketAddress(target, port);
    if (warmupSeconds > 0) {
      warmUp(bounded.get(0), warmupQueries == null ? templates : QueryEncoder.encodeAll(QueryFile.read(warmupQueries), flags),
          to, from);
    }
    try (LoadEngine engine = new LoadEngine(threads, sockets, to, from, templates, spinMicros * 1000)) {
      RunInfo info = new RunInfo(label != null ? label : queries.getFileName().toString(),
          to.toString().replaceFirst("^/", ""), queries.toString(), specs.size(),
          flags, threads, sockets, engine.nativeTransport() ? "epoll" : "nio", timeoutSeconds);
      out.print(TextReport.header(info));
      out.flush();
      List<StepResult> results = new ArrayList<>();
      for (int i = 0; i < bounded.size(); i++) {
        if (i > 0 && pauseSeconds > 0) {
          Thread.sleep((long) (pauseSeconds * 1000));
        }
        StepResult r = engine.run(bounded.get(i));
        results.add(r);
        out.print(TextReport.row(r));
        out.print(TextReport.notes(r));
        out.flush();
      }
      if (json != null) {
        Files.writeString(json, JsonReport.of(info, results), StandardCharsets.UTF_8);
      }
    }
    return 0;
  }

  /** Unreported load at the first step's setting, on its own sockets, so the measured steps start on a warm JIT. */
  private void warmUp(StepPlan first, byte[][] templates, InetSocketAddress to, InetAddress from) throws Exception {
    try (LoadEngine engine = new LoadEngine(threads, sockets, to, from, templates, spinMicros * 1000)) {
      StepResult w = engine.run(new StepPlan(first.rate(), first.outstanding(), seconds(warmupSeconds, "--warmup"), 0, first.timeout()));
      out.printf("# warm-up: %d sent, %d answered in %.1f s (not reported)%n", w.sent(), w.answered(), w.sendSeconds());
    }
  }

  private List<StepPlan> plans() {
    Duration duration = seconds(durationSeconds, "--duration");
    Duration timeout = seconds(timeoutSeconds, "--timeout");
    if (duration.compareTo(Duration.ofHours(1)) > 0 || timeout.compareTo(Duration.ofSeconds(30)) > 0) {
      throw new IllegalArgumentException("--duration is at most 3600 s and --timeout at most 30 s");
    }
    if (maxQueries < 0 || passes < 0) {
      throw new IllegalArgumentException("--max-queries and --passes must not be negative");
    }
    List<StepPlan> plans = new ArrayList<>();
    if (rates != null) {
      for (double r : RateList.parse(rates)) {
        plans.add(StepPlan.openLoop(r, duration, maxQueries, timeout));
      }
    } else {
      if (outstanding < 1 || outstanding > 1_000_000) {
        throw new IllegalArgumentException("--outstanding must be 1..1000000");
      }
      plans.add(StepPlan.closedLoop(outstanding, duration, maxQueries, timeout));
    }
    return plans;
  }

  private static Duration seconds(double s, String option) {
    if (!(s > 0) || s > 3600) {
      throw new IllegalArgumentException(option + " must be more than 0 and at most 3600 seconds");
    }
    return Duration.ofNanos((long) (s * 1e9));
  }

  /** An IP literal; host names are refused so that no lookup happens behind the operator's back. */
  static InetAddress literal(String text, String option) throws IOException {
    String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    if (!t.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
      throw new IllegalArgumentException(option + ": '" + text + "' is not an IP address");
    }
    return InetAddress.getByName(t);
  }
}
