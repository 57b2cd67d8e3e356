#!/usr/bin/env bash
# loadtest/bench.sh -- the proxy and a validating Unbound side by side, in the sidecar role:
# each is a validating forwarder on loopback in front of the testbed's NON-validating Unbound
# (127.0.10.53), validating from the testbed's own root trust anchor, facing the same client and
# the same query sets.
#
#   proxy    127.0.10.201  java $JVM_OPTS -jar proxy/target/dnssec-proxy.jar
#   unbound  127.0.10.202  unbound, "validator iterator", forward-zone . -> .53 (forward-first: no),
#                          one thread, local-zone "test." nodefault
#   client   127.0.10.200  dnsperf (throughput, CPU per query) and loadtest/target/dnssec-loadtest.jar
#                          (latency percentiles at a fixed rate, and the cache-hit rate sweep)
#
# Workloads (every query with DO=1, so AD can be counted):
#   hit           one secure name repeated (www.ecdsa.test A): the cache-hit path
#   cold-ecdsa    distinct names h00001... under cold-ecdsa.test, each once: one ECDSAP256 RRSIG per answer
#   cold-rsa      the same under cold-rsa.test (RSASHA256-2048)
#   cold-ed25519  the same under cold-ed25519.test (ED25519)
#   wild-nsec     random labels under wild.ecdsa.test: wildcard answer + NSEC proof (2 RRSIGs)
#   wild-nsec3    random labels under wild.rsa-nsec3.test: wildcard answer + NSEC3 proof
# The upstream is warmed with every name first, so a cold query is a miss at the resolver and a
# hit at the upstream: what is measured is forwarding + validation, not iteration. The cold and
# wild names of the throughput run and of the latency run are different names, so neither run
# finds the other's answers cached. Both resolvers are started once, primed with the zones' keys
# and warmed up (the JVM's JIT needs it; Unbound gets the same treatment) before measuring.
#
# Per resolver and workload: QPS (dnsperf, DNSPERF_CLIENTS:DNSPERF_OUTSTANDING), resolver CPU us per
# answered query (the nanosecond run times of the resolver's threads, /proc/PID/task/*/schedstat,
# summed over the threads alive at the end: /proc/PID/stat's 10 ms ticks were too coarse for short
# runs), p50/p90/p99/p99.9 latency at
# LAT_RATE qps (our generator, open loop, corrected for coordinated omission), RSS after the run.
# Once per repetition after the workloads, cache-hit latency at LAT_RATE as the peers' benchmark
# (../shared/testbed/bench-peers.sh, whose figures the issue's goals quote) takes it: dnsperf -Q -v
# over its 20 hot names, each latency from dnsperf's own send.
# Throughput runs are repeated REPEAT times, each with names of its own, and the two resolvers take
# turns (both run for the whole benchmark, idle while the other is measured), so a slow minute of
# this shared machine hits both columns alike; the report gives the median and the range.
# Output: OUT/results.md (Markdown tables, ratio proxy/Unbound per row), OUT/*.png (charts),
# OUT/tp.tsv, OUT/dnsperf-latency.tsv, OUT/rss.tsv, OUT/raw/ (dnsperf output and generator JSON), OUT/env.txt.
#
# Usage (as root, from anywhere):  loadtest/bench.sh            full run, OUT=loadtest/results/full
#                                  SHORT=1 loadtest/bench.sh    reduced counts, OUT=loadtest/results/short-run
# Env: WORLD=auto|fresh|reuse   auto (default): reuse a running testbed world and leave it running,
#                                else start it (../shared/testbed/start.sh) and stop it at the end
#      RESOLVERS ("proxy unbound"), WORKLOADS, REPEAT, COLD_N, WILD_N, LAT_N, WILD_WARM_N, WARM_SECONDS, HIT_SECONDS,
#      LAT_RATE (1000), LAT_SECONDS (hit latency run), SWEEP (cache-hit rates), SWEEP_SECONDS,
#      DNSPERF_CLIENTS, DNSPERF_OUTSTANDING, JVM_OPTS, PROXY_ARGS, PROXY_JAVA, PROXY_JAR, LOADTEST_JAR, TESTBED, OUT,
#      MAX_SECONDS (watchdog for the whole run), PYTHON (needs matplotlib).
# Everything is bounded: each dnsperf run by -l and/or -n, each generator run by its duration and
# query count, the whole script by MAX_SECONDS. On any exit it stops what it started.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=loadtest/lib.sh
. "$HERE/lib.sh"
TESTBED=${TESTBED:-$ROOT/../shared/testbed}
TB=${TESTBED_DIR:-/tmp/dnssec-testbed}
TA=$TB/zones/trust-anchor
NET=127.0.10
UP=$NET.53
CLIENT=$NET.200
declare -A ADDR=([proxy]=$NET.201 [unbound]=$NET.202)

SHORT=${SHORT:-0}
if [[ $SHORT == 1 ]]; then
  : "${OUT:=$HERE/results/short-run}" "${REPEAT:=1}" "${COLD_N:=1000}" "${WILD_N:=1000}" "${LAT_N:=500}" "${WILD_WARM_N:=500}" \
    "${WARM_SECONDS:=5}" "${HIT_SECONDS:=3}" "${LAT_SECONDS:=3}" "${SWEEP:=1000,5000,10000}" \
    "${SWEEP_SECONDS:=2}" "${MAX_SECONDS:=900}"
else
  : "${OUT:=$HERE/results/full}" "${REPEAT:=3}" "${COLD_N:=6000}" "${WILD_N:=2000}" "${LAT_N:=3000}" "${WILD_WARM_N:=3000}" \
    "${WARM_SECONDS:=20}" "${HIT_SECONDS:=10}" "${LAT_SECONDS:=10}" "${SWEEP:=1000,2000,5000,10000,20000,40000}" \
    "${SWEEP_SECONDS:=10}" "${MAX_SECONDS:=2400}"
fi
RESOLVERS=${RESOLVERS:-"proxy unbound"}
WORKLOADS=${WORKLOADS:-"hit cold-ecdsa cold-rsa cold-ed25519 wild-nsec wild-nsec3"}
LAT_RATE=${LAT_RATE:-1000}
DNSPERF_CLIENTS=${DNSPERF_CLIENTS:-10}
DNSPERF_OUTSTANDING=${DNSPERF_OUTSTANDING:-100}
WARM_COLD=300   # names at the end of each cold zone, used only for the warm-up
# The container image's own flags (proxy/src/image/jvm.args, less its logging lines): the
# serial collector, a 64 MiB heap cap, C1 only (measured: C2 spent about half of all the CPU of
# the cold runs compiling), bounded code cache and metaspace. No AppCDS here (start-up is not
# measured).
JVM_OPTS=${JVM_OPTS:-$(image_flags "$ROOT")}
# The sidecar's own cache size (the Helm chart's cacheMaxEntries), as Unbound runs with its
# shipped cache sizes: the RSS row compares the two as they are deployed.
PROXY_ARGS=${PROXY_ARGS:---cache-max-entries 10000}
PROXY_JAR=${PROXY_JAR:-$ROOT/proxy/target/dnssec-proxy.jar}
# the java that runs the proxy (the generator always runs on the default java)
PROXY_JAVA=${PROXY_JAVA:-java}
LOADTEST_JAR=${LOADTEST_JAR:-$HERE/target/dnssec-loadtest.jar}
PYTHON=${PYTHON:-/usr/bin/python3}
WORLD=${WORLD:-auto}
CLK=$(getconf CLK_TCK)
RUN=$(mktemp -d /tmp/dnssec-loadtest.XXXXXX)
Q=$RUN/q

log() { echo "[bench $(date +%T)] $*" >&2; }
die() { log "FATAL: $*"; exit 1; }

# ---------------------------------------------------------------- preconditions
(( EUID == 0 )) || die "needs root (port 53, loopback addresses, the testbed)"
for c in dnsperf unbound unbound-checkconf dig java ip; do command -v "$c" >/dev/null || die "missing $c (apt-get install dnsperf unbound bind9-dnsutils openjdk-17-jre-headless iproute2)"; done
"$PYTHON" -c 'import matplotlib' 2>/dev/null || die "$PYTHON has no matplotlib (apt-get install python3-matplotlib, or set PYTHON)"
if [[ ! -f $PROXY_JAR || ! -f $LOADTEST_JAR ]]; then
  log "building the jars"
  (cd "$ROOT" && mvn -B -ntp -q -DskipTests package) || die "build failed"
fi

# ---------------------------------------------------------------- clean-up, whatever happens
STARTED_WORLD=0
declare -A PID=()
ADDED=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n ${WATCHDOG:-} ]] && kill "$WATCHDOG" 2>/dev/null
  for r in "${!PID[@]}"; do stop_resolver "$r"; done
  for a in "${ADDED[@]}"; do ip addr del "$a/32" dev lo 2>/dev/null; done
  if (( STARTED_WORLD )); then "$TESTBED/stop.sh" >/dev/null 2>&1; log "stopped the testbed world"; fi
  rm -rf "$RUN"
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM
start_watchdog "$MAX_SECONDS" bench

# ---------------------------------------------------------------- the testbed world
case $WORLD in
  reuse) world_up || die "WORLD=reuse but no testbed answers on $UP" ;;
  fresh) STARTED_WORLD=1; "$TESTBED/start.sh" >&2 || die "start.sh failed" ;;
  auto)
    if world_up; then log "reusing the running testbed world (left running afterwards)"
    else STARTED_WORLD=1; "$TESTBED/start.sh" >&2 || die "start.sh failed"; fi ;;
  *) die "WORLD must be auto, fresh or reuse" ;;
esac
[[ -f $TA/root.ds ]] || die "no trust anchor in $TA"
NCOLD=$(grep -c 'A 198\.18' "$TB/zones/src/cold-ecdsa.test.zone")
(( COLD_N + LAT_N + WARM_COLD <= NCOLD )) || die "COLD_N + LAT_N + $WARM_COLD must be <= NCOLD ($NCOLD)"
(( REPEAT >= 1 && COLD_N / REPEAT >= 100 )) || die "REPEAT must be >= 1 and leave >= 100 cold names per repetition"
for a in "$CLIENT" "${ADDR[@]}"; do add_addr "$a" || die "cannot add $a to lo"; done

# ---------------------------------------------------------------- query sets
# results go to OUT.partial and replace OUT only when the run completes: a failed or
# interrupted run leaves the previous results alone (and its partial output for a look)
FINAL=$OUT
OUT=$FINAL.partial
rm -rf "$OUT"
mkdir -p "$Q" "$OUT/raw"
echo "www.ecdsa.test A" > "$Q/hit.tp.txt"
cp "$Q/hit.tp.txt" "$Q/hit.lat.txt"
SLICE=$((COLD_N / REPEAT))
for k in $(seq "$REPEAT"); do cp "$Q/hit.tp.txt" "$Q/hit.tp.$k.txt"; done
for s in ecdsa rsa ed25519; do
  for k in $(seq "$REPEAT"); do cold "cold-$s.test" $(((k - 1) * SLICE + 1)) $((k * SLICE)) > "$Q/cold-$s.tp.$k.txt"; done
  cold "cold-$s.test" $((COLD_N + 1)) $((COLD_N + LAT_N)) > "$Q/cold-$s.lat.txt"
  cold "cold-$s.test" $((NCOLD - WARM_COLD + 1)) "$NCOLD" >> "$Q/warm.txt"
done
for p in "nsec wild.ecdsa.test" "nsec3 wild.rsa-nsec3.test"; do
  set -- $p
  for k in $(seq "$REPEAT"); do wild "$2" "$WILD_N" > "$Q/wild-$1.tp.$k.txt"; done
  wild "$2" "$LAT_N" > "$Q/wild-$1.lat.txt"
  wild "$2" "$WILD_WARM_N" >> "$Q/warm.txt"
done
printf '%s\n' "www.ecdsa.test A" "www.rsa-nsec3.test A" "www.ed25519.example A" "www.cold-ecdsa.test A" \
  "www.cold-rsa.test A" "www.cold-ed25519.test A" "x.wild.ecdsa.test A" "x.wild.rsa-nsec3.test A" > "$Q/prime.txt"
# the cache-hit set of ../shared/testbed/bench-peers.sh, for its latency method (peers_latency below)
for z in ecdsa.test rsa-nsec3.test rsa-optout.test ed25519.example; do
  printf '%s\n' "www.$z A" "www.$z AAAA" "www.$z TXT" "mail.$z A" "$z MX" >> "$Q/hot.txt"
done
cat "$Q/hit.tp.txt" "$Q/prime.txt" "$Q/hot.txt" >> "$Q/warm.txt"

# ---------------------------------------------------------------- environment record
{
  echo "date: $(date -u +%FT%TZ)"
  echo "run: $([[ $SHORT == 1 ]] && echo "SHORT (reduced counts: a proof that the tooling works, not a benchmark)" || echo full)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') x $(nproc)"
  echo "kernel: $(uname -r)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "proxy java: $("$PROXY_JAVA" -version 2>&1 | head -1)"
  echo "proxy: $PROXY_JAR ($(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?'))"
  echo "JVM_OPTS: $JVM_OPTS"
  echo "PROXY_ARGS: $PROXY_ARGS"
  echo "unbound: $(unbound -V | sed -n 's/^Version //p')"
  echo "dnsperf: $(dnsperf -h 2>&1 | sed -n 's/^Version //p') (-c $DNSPERF_CLIENTS -q $DNSPERF_OUTSTANDING -D)"
  echo "REPEAT: $REPEAT (resolvers take turns)  NCOLD: $NCOLD  COLD_N: $COLD_N ($SLICE per repetition)  WILD_N: $WILD_N per repetition  LAT_N: $LAT_N  LAT_RATE: $LAT_RATE  HIT_SECONDS: $HIT_SECONDS  WARM_SECONDS: $WARM_SECONDS  SWEEP: $SWEEP x ${SWEEP_SECONDS}s"
} > "$OUT/env.txt"

# ---------------------------------------------------------------- warm the upstream
log "warming the upstream $UP with every name (twice: the first pass iterates)"
cat "$Q"/*.tp.*.txt "$Q"/*.lat.txt "$Q/warm.txt" > "$RUN/all.txt"
for _ in 1 2; do
  dnsperf -s "$UP" -a "$CLIENT" -c 10 -q 200 -d "$RUN/all.txt" -n 1 -l 300 -t 5 > "$RUN/warm-upstream.out" 2>&1
  log "  upstream: $(awk '/Queries completed:/{print $3}' "$RUN/warm-upstream.out") of $(wc -l < "$RUN/all.txt") answered"
done

# ---------------------------------------------------------------- resolvers
start_resolver() { # name
  local r=$1 a=${ADDR[$1]} d=$RUN/$1
  mkdir -p "$d"
  case $r in
  proxy)
    # shellcheck disable=SC2086
    setsid "$PROXY_JAVA" $JVM_OPTS -jar "$PROXY_JAR" --listen "$a:53" --upstream "$UP" \
      --trust-anchor-file "$TA/root.ds" --admin-listen off $PROXY_ARGS > "$d/out.log" 2>&1 < /dev/null &
    PID[$r]=$! ;;
  unbound)
    cat > "$d/unbound.conf" <<EOF
server:
  verbosity: 0
  interface: $a
  port: 53
  outgoing-interface: $a
  do-ip6: no
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
  module-config: "validator iterator"
  trust-anchor-file: "$TA/unbound-root.key"
  local-zone: "test." nodefault
  num-threads: 1
  msg-cache-size: 64m
  rrset-cache-size: 128m
  username: ""
  chroot: ""
  directory: "$d"
  pidfile: "$d/unbound.pid"
  use-syslog: no
  logfile: "$d/unbound.log"
remote-control:
  control-enable: no
forward-zone:
  name: "."
  forward-addr: $UP
  forward-first: no
EOF
    unbound-checkconf "$d/unbound.conf" >/dev/null || return 1
    setsid unbound -d -c "$d/unbound.conf" > "$d/out.log" 2>&1 < /dev/null &
    PID[$r]=$! ;;
  esac
  for _ in $(seq 150); do
    [[ $(dig +short +time=1 +tries=1 @"$a" www.ecdsa.test A 2>/dev/null) == 192.0.2.1 ]] && return 0
    kill -0 "${PID[$r]}" 2>/dev/null || break
    sleep 0.2
  done
  log "$r did not become ready:"; tail -5 "$d/out.log" >&2; return 1
}
stop_resolver() { # name: only the PID we started, only if it is still the program we started
  local r=$1 pid=${PID[$1]:-}
  [[ -n $pid ]] || return 0
  # keep the end of its output: the only trace of a crash
  tail -200 "$RUN/$r/out.log" > "$OUT/raw/$r-resolver.log" 2>/dev/null
  case $(cat /proc/"$pid"/comm 2>/dev/null) in
    java|unbound)
      kill "$pid" 2>/dev/null
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" ;;
  esac
  unset "PID[$r]"
}

# ---------------------------------------------------------------- measurement helpers
# The whole process's CPU in 10 ms ticks (utime+stime, exited threads included): kept beside the
# nanosecond figure as a check on it.
cpu_ticks() { cut -d' ' -f14,15 /proc/"$1"/stat 2>/dev/null | awk '{print $1+$2}'; }
# (cpu_snap, cpu_delta_ns: nanoseconds per thread, lib.sh)
busy_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
child_ticks() { cut -d' ' -f16,17 /proc/$$/stat | awk '{print $1+$2}'; }
TP=$OUT/tp.tsv
printf 'resolver\tworkload\trep\tsent\tanswered\tlost\tqps\tus_per_q\tresolver_cores\tclient_cores\tother_cores\trcodes\tus_per_q_ticks\n' > "$TP"
throughput() { # resolver workload repetition: dnsperf, QPS and CPU per answered query
  local r=$1 w=$2 k=$3 raw=$OUT/raw/$1-$2-$3-dnsperf.txt pid=${PID[$1]} bound
  if [[ $w == hit ]]; then bound=(-l "$HIT_SECONDS"); else bound=(-n 1 -l 120); fi
  local c0 b0 d0 t0 c1 b1 d1 t1 ns
  c0=$(cpu_ticks "$pid"); cpu_snap "$pid" > "$RUN/cpu0"; b0=$(busy_ticks); d0=$(child_ticks); t0=$(date +%s.%N)
  dnsperf -s "${ADDR[$r]}" -a "$CLIENT" -D -c "$DNSPERF_CLIENTS" -q "$DNSPERF_OUTSTANDING" -t 5 \
    -d "$Q/$w.tp.$k.txt" "${bound[@]}" > "$raw" 2>&1
  c1=$(cpu_ticks "$pid"); cpu_snap "$pid" > "$RUN/cpu1"; b1=$(busy_ticks); d1=$(child_ticks); t1=$(date +%s.%N)
  ns=$(cpu_delta_ns "$RUN/cpu0" "$RUN/cpu1")
  local sent done lost qps rc
  sent=$(awk '/Queries sent:/{print $3}' "$raw"); done=$(awk '/Queries completed:/{print $3}' "$raw")
  lost=$(awk '/Queries lost:/{print $3}' "$raw"); qps=$(awk '/Queries per second:/{printf "%.0f", $4}' "$raw")
  rc=$(sed -n 's/^ *Response codes: *//p' "$raw" | sed 's/ ([0-9.%]*)//g')
  awk -v r="$r" -v w="$w" -v rep="$k" -v s="${sent:-0}" -v n="${done:-0}" -v l="${lost:-0}" -v q="${qps:-0}" -v rc="${rc:--}" \
      -v ns="$ns" -v dc=$((c1 - c0)) -v dd=$((d1 - d0)) -v db=$((b1 - b0)) -v k="$CLK" -v t0="$t0" -v t1="$t1" 'BEGIN{
    wall = t1 - t0; us = n > 0 ? ns / 1000 / n : 0; o = (db / k - ns / 1e9 - dd / k) / wall; if (o < 0) o = 0
    printf "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t%.2f\n", r, w, rep, s, n, l, q, us, ns / 1e9 / wall, dd / k / wall, o, rc,
      (n > 0 ? dc / k / n * 1e6 : 0) }' >> "$TP"
  log "$r $w #$k: $(tail -1 "$TP" | cut -f4-)"
}
latency() { # resolver workload: our generator at LAT_RATE, open loop
  local r=$1 w=$2 bound
  # the generator warms its own JIT first; a cold run warms up on the hit name, not on its own
  # names, which must stay unasked
  if [[ $w == hit ]]; then bound=(-l "$LAT_SECONDS" --warmup 2)
  else bound=(-l 600 --passes 1 --warmup 2 --warmup-queries "$Q/hit.tp.txt"); fi
  java -jar "$LOADTEST_JAR" -s "${ADDR[$r]}" -a "$CLIENT" -d "$Q/$w.lat.txt" --do --rates "$LAT_RATE" \
    "${bound[@]}" --label "$r $w" --json "$OUT/raw/$r-$w-latency.json" > "$OUT/raw/$r-$w-latency.txt" 2>&1 \
    || log "$r $w: generator failed: $(tail -2 "$OUT/raw/$r-$w-latency.txt")"
  log "$r $w @${LAT_RATE}/s: $(grep -m1 "^[0-9]" "$OUT/raw/$r-$w-latency.txt")"
}
sweep() { # resolver: cache-hit latency at each SWEEP rate
  local r=$1
  java -jar "$LOADTEST_JAR" -s "${ADDR[$r]}" -a "$CLIENT" -d "$Q/hit.tp.txt" --do --rates "$SWEEP" \
    -l "$SWEEP_SECONDS" --warmup 2 --label "$r cache-hit sweep" --json "$OUT/raw/$r-sweep.json" > "$OUT/raw/$r-sweep.txt" 2>&1 \
    || log "$r sweep: generator failed: $(tail -2 "$OUT/raw/$r-sweep.txt")"
  grep "^[0-9]" "$OUT/raw/$r-sweep.txt" | sed "s/^/[bench] $r sweep: /" >&2
}

PL=$OUT/dnsperf-latency.tsv
printf 'resolver\trep\tanswered\tp50_ms\tp90_ms\tp99_ms\tp999_ms\tmax_ms\tus_per_q\n' > "$PL"
peers_latency() { # resolver repetition: cache-hit latency as ../shared/testbed/bench-peers.sh takes it
  # (the issue's goal figures): dnsperf -Q LAT_RATE -v over the peers' hot names, each query's
  # latency from dnsperf's own send (not from an intended send time, as our generator's rows).
  # Also the resolver's CPU per query at this modest rate, where each query comes alone: what a
  # sidecar mostly sees, and a cost the full-rate rows (batched reads and sends) do not show.
  local r=$1 k=$2 raw=$OUT/raw/$1-dnsperf-latency-$2.txt ns
  cpu_snap "${PID[$r]}" > "$RUN/lcpu0"
  dnsperf -s "${ADDR[$r]}" -a "$CLIENT" -d "$Q/hot.txt" -c 10 -q 100 -l "$LAT_SECONDS" -Q "$LAT_RATE" -v -t 1 > "$raw" 2>&1
  cpu_snap "${PID[$r]}" > "$RUN/lcpu1"
  ns=$(cpu_delta_ns "$RUN/lcpu0" "$RUN/lcpu1")
  grep '^> ' "$raw" | awk '{print $NF * 1000}' | sort -g | awk -v r="$r" -v k="$k" -v ns="$ns" '{v[NR] = $1} END {
    if (NR == 0) { printf "%s\t%s\t0\t-\t-\t-\t-\t-\t-\n", r, k; exit }
    split("0.5 0.9 0.99 0.999", q, " "); o = ""
    for (i = 1; i <= 4; i++) { j = int(q[i] * NR); if (j < 1) j = 1; o = o sprintf("\t%.3f", v[j]) }
    printf "%s\t%s\t%d%s\t%.3f\t%.2f\n", r, k, NR, o, v[NR], ns / 1000 / NR }' >> "$PL"
  # keep the raw file small: the per-query lines are summarized above
  grep -v '^> ' "$raw" > "$raw.tmp" && mv "$raw.tmp" "$raw"
  log "$r dnsperf -Q $LAT_RATE #$k: $(tail -1 "$PL" | cut -f3-)"
}

alive() { # resolver step: a resolver that died is reported, and its output kept, not silently measured as loss
  kill -0 "${PID[$1]}" 2>/dev/null && return 0
  log "$1 DIED during $2; its last output:"; tail -20 "$RUN/$1/out.log" >&2
  echo "$1 died during $2 (see raw/$1-resolver.log)" >> "$OUT/deaths.txt"
}

# ---------------------------------------------------------------- the runs
printf 'resolver\trss_start_kb\trss_end_kb\n' > "$OUT/rss.tsv"
declare -A RSS0
for r in $RESOLVERS; do
  log "=== start $r on ${ADDR[$r]} (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  start_resolver "$r" || die "$r failed to start"
  dnsperf -s "${ADDR[$r]}" -a "$CLIENT" -D -d "$Q/prime.txt" -n 1 -t 5 > /dev/null 2>&1
  dnsperf -s "${ADDR[$r]}" -a "$CLIENT" -D -c 4 -q 50 -d "$Q/warm.txt" -l "$WARM_SECONDS" -t 5 > "$OUT/raw/$r-warmup.txt" 2>&1
  RSS0[$r]=$(rss_kb "${PID[$r]}")
done
read -r -a ORDER <<< "$RESOLVERS"
for w in $WORKLOADS; do
  for k in $(seq "$REPEAT"); do
    # alternate who goes first, so neither always follows the other's run
    if (( k % 2 == 1 )); then turn=("${ORDER[@]}"); else turn=(); for ((i = ${#ORDER[@]} - 1; i >= 0; i--)); do turn+=("${ORDER[i]}"); done; fi
    for r in "${turn[@]}"; do
      throughput "$r" "$w" "$k"
      alive "$r" "$w #$k"
    done
  done
  for r in $RESOLVERS; do
    latency "$r" "$w"
    alive "$r" "$w latency"
  done
done
for k in $(seq "$REPEAT"); do
  if (( k % 2 == 1 )); then turn=("${ORDER[@]}"); else turn=(); for ((i = ${#ORDER[@]} - 1; i >= 0; i--)); do turn+=("${ORDER[i]}"); done; fi
  for r in "${turn[@]}"; do
    peers_latency "$r" "$k"
    alive "$r" "dnsperf latency #$k"
  done
done
for r in $RESOLVERS; do
  sweep "$r"
  alive "$r" "cache-hit sweep"
  printf '%s\t%s\t%s\n' "$r" "${RSS0[$r]}" "$(rss_kb "${PID[$r]}")" >> "$OUT/rss.tsv"
  stop_resolver "$r"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/env.txt"

# ---------------------------------------------------------------- report
"$PYTHON" "$HERE/report.py" "$OUT" || die "report.py failed"
rm -rf "$FINAL" && mv "$OUT" "$FINAL" || die "cannot move $OUT to $FINAL"
log "wrote $FINAL/results.md and charts"
