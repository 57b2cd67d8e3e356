#!/usr/bin/env bash
# loadtest/ab.sh -- is proxy build B cheaper than build A? Interleaved runs of the two jars on one
# workload, the proxy alone in front of the testbed's non-validating upstream (as in bench.sh):
# this machine's speed drifts by tens of percent over minutes, so A and B take turns (A B, B A,
# A B, ...) and the comparison is pair by pair, not one long run against another.
#
# Each run: a fresh proxy (the image's JVM flags, the chart's cache size) on 127.0.10.203, primed
# and warmed (WARM_N names of the same kind, not the measured ones), then the measured names
# through dnsperf: the N cold names h00001.. of the zone (the same N for every run: each proxy
# starts with an empty cache), or N fresh random wildcard names, or HIT_SECONDS of one cached
# name. Per run: the proxy's CPU microseconds per answer (the nanosecond run times of all its
# threads, /proc/PID/task/*/schedstat) and its RSS after the run.
#
# Usage (as root, testbed running: ../shared/testbed/start.sh):
#   loadtest/ab.sh A.jar B.jar
# Env: WORKLOAD  cold-ecdsa (default), cold-rsa, cold-ed25519, wild-nsec, wild-nsec3, hit
#      PAIRS (3), N (6000), WARM_N (3000), HIT_SECONDS (5), JVM_OPTS (the image's flags),
#      JVM_OPTS_B (JVM_OPTS: B's flags, to compare flags with one jar given twice),
#      PROXY_ARGS (--cache-max-entries 10000), PROXY_JAVA (java), OUT (also write the TSV there),
#      MAX_SECONDS (1800, a watchdog for the whole script).
# Output: one line per run (pair, build, CPU µs per answer, answers, RSS KiB), then per build the
# median and range. Bounded: dnsperf by -n/-l, each proxy stopped after its run, the script by a
# watchdog; everything it started is stopped on exit.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=loadtest/lib.sh
. "$HERE/lib.sh"

NET=127.0.10
UP=$NET.53
CLIENT=$NET.200
ADDR=$NET.203
TB=${TESTBED_DIR:-/tmp/dnssec-testbed}
WORKLOAD=${WORKLOAD:-cold-ecdsa}
PAIRS=${PAIRS:-3}
N=${N:-6000}
WARM_N=${WARM_N:-3000}
HIT_SECONDS=${HIT_SECONDS:-5}
JVM_OPTS=${JVM_OPTS:-$(image_flags "$ROOT")}
JVM_OPTS_B=${JVM_OPTS_B:-$JVM_OPTS}
PROXY_ARGS=${PROXY_ARGS:---cache-max-entries 10000}
PROXY_JAVA=${PROXY_JAVA:-java}
MAX_SECONDS=${MAX_SECONDS:-1800}
ADDED=()

log() { echo "[ab $(date +%T)] $*" >&2; }
die() { log "FATAL: $*"; exit 1; }

(( $# == 2 )) || die "usage: loadtest/ab.sh A.jar B.jar (see the header for the environment)"
declare -A JAR=([A]=$1 [B]=$2) OPTS=([A]=$JVM_OPTS [B]=$JVM_OPTS_B)
for b in A B; do [[ -f ${JAR[$b]} ]] || die "no jar ${JAR[$b]}"; done
(( EUID == 0 )) || die "needs root (port 53, loopback addresses)"
for c in dnsperf dig ip "$PROXY_JAVA"; do command -v "$c" >/dev/null || die "missing $c"; done
(( PAIRS >= 1 && N >= 100 )) || die "PAIRS must be >= 1 and N >= 100"
world_up || die "no testbed answers on $UP (start it: ../shared/testbed/start.sh)"

RUN=$(mktemp -d /tmp/dnssec-ab.XXXXXX)
PID=
stop_proxy() {
  [[ -n $PID ]] || return 0
  if [[ $(cat /proc/"$PID"/comm 2>/dev/null) == java ]]; then
    kill "$PID" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$PID" 2>/dev/null && kill -9 "$PID"
  fi
  PID=
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  kill "$WATCHDOG" 2>/dev/null
  stop_proxy
  for a in "${ADDED[@]}"; do ip addr del "$a/32" dev lo 2>/dev/null; done
  rm -rf "$RUN"
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM
start_watchdog "$MAX_SECONDS" ab
for a in "$CLIENT" "$ADDR"; do add_addr "$a" || die "cannot add $a to lo"; done

# ---------------------------------------------------------------- query sets
case $WORKLOAD in
  cold-ecdsa|cold-rsa|cold-ed25519)
    ZONE=$WORKLOAD.test
    NCOLD=$(grep -c 'A 198\.18' "$TB/zones/src/$ZONE.zone") || die "no zone file for $ZONE in $TB"
    (( N + WARM_N <= NCOLD )) || die "N + WARM_N must be <= $NCOLD, the names in $ZONE"
    cold "$ZONE" 1 "$N" > "$RUN/measured.txt"
    cold "$ZONE" $((NCOLD - WARM_N + 1)) "$NCOLD" > "$RUN/warm.txt" ;;
  wild-nsec|wild-nsec3)
    ZONE=$([[ $WORKLOAD == wild-nsec ]] && echo wild.ecdsa.test || echo wild.rsa-nsec3.test)
    wild "$ZONE" "$WARM_N" > "$RUN/warm.txt" ;;   # measured names: fresh ones per run, below
  hit)
    echo "www.ecdsa.test A" > "$RUN/measured.txt"
    cp "$RUN/measured.txt" "$RUN/warm.txt" ;;
  *) die "WORKLOAD must be cold-ecdsa, cold-rsa, cold-ed25519, wild-nsec, wild-nsec3 or hit" ;;
esac
printf '%s\n' "www.ecdsa.test A" "www.rsa-nsec3.test A" "www.ed25519.example A" "www.cold-ecdsa.test A" \
  "www.cold-rsa.test A" "www.cold-ed25519.test A" "x.wild.ecdsa.test A" "x.wild.rsa-nsec3.test A" > "$RUN/prime.txt"
if [[ $WORKLOAD == cold-* ]]; then
  log "warming the upstream $UP with the names (twice: the first pass iterates)"
  for _ in 1 2; do
    cat "$RUN/measured.txt" "$RUN/warm.txt" | dnsperf -s "$UP" -a "$CLIENT" -c 10 -q 200 -n 1 -l 300 -t 5 > /dev/null 2>&1
  done
fi

perf() { # query file, then dnsperf's bound; prints the answers dnsperf counted
  dnsperf -s "$ADDR" -a "$CLIENT" -D -c 10 -q 100 -t 5 -d "$1" "${@:2}" 2>&1 \
    | awk '/Queries completed:/ {print $3}'
}

# ---------------------------------------------------------------- one run
run() { # pair build
  local p=$1 b=$2 d=$RUN/$1$2 ready=0 answered ns
  mkdir -p "$d"
  # shellcheck disable=SC2086
  setsid "$PROXY_JAVA" ${OPTS[$b]} -jar "${JAR[$b]}" --listen "$ADDR:53" --upstream "$UP" \
    --trust-anchor-file "$TB/zones/trust-anchor/root.ds" --admin-listen off $PROXY_ARGS > "$d/out.log" 2>&1 < /dev/null &
  PID=$!
  for _ in $(seq 150); do
    [[ $(dig +short +time=1 +tries=1 @"$ADDR" www.ecdsa.test A 2>/dev/null) == 192.0.2.1 ]] && { ready=1; break; }
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.2
  done
  (( ready )) || { tail -5 "$d/out.log" >&2; die "build $b did not start"; }
  perf "$RUN/prime.txt" -n 1 -l 60 > /dev/null
  if [[ $WORKLOAD == hit ]]; then perf "$RUN/warm.txt" -l 2 > /dev/null; else perf "$RUN/warm.txt" -n 1 -l 120 > /dev/null; fi
  if [[ $WORKLOAD == wild-* ]]; then wild "$ZONE" "$N" > "$RUN/measured.txt"; fi
  sleep 1
  cpu_snap "$PID" > "$d/cpu0"
  if [[ $WORKLOAD == hit ]]; then answered=$(perf "$RUN/measured.txt" -l "$HIT_SECONDS"); else answered=$(perf "$RUN/measured.txt" -n 1 -l 120); fi
  cpu_snap "$PID" > "$d/cpu1"
  ns=$(cpu_delta_ns "$d/cpu0" "$d/cpu1")
  (( ${answered:-0} > 0 )) || die "build $b answered nothing in pair $p"
  printf '%s\t%s\t%.2f\t%s\t%s\n' "$p" "$b" "$(awk -v n="$ns" -v a="$answered" 'BEGIN { print n / 1000 / a }')" \
    "$answered" "$(rss_kb "$PID")" | tee -a "$RUN/runs.tsv"
  stop_proxy
}

log "$WORKLOAD: $PAIRS pairs; A = ${JAR[A]}, B = ${JAR[B]}; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'pair\tbuild\tus_per_answer\tanswers\trss_kb\n' | tee "$RUN/runs.tsv"
for p in $(seq "$PAIRS"); do
  if (( p % 2 )); then run "$p" A; run "$p" B; else run "$p" B; run "$p" A; fi
done
echo
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%s %s %s", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
for b in A B; do
  read -r us lo hi < <(awk -F'\t' -v b="$b" '$2 == b { print $3 }' "$RUN/runs.tsv" | median)
  read -r rss _ _ < <(awk -F'\t' -v b="$b" '$2 == b { print $5 }' "$RUN/runs.tsv" | median)
  printf '%s: CPU us per answer median %s (%s-%s), RSS median %.1f MiB, %s runs\n' "$b" "$us" "$lo" "$hi" \
    "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$PAIRS"
done
[[ -n ${OUT:-} ]] && cp "$RUN/runs.tsv" "$OUT"
exit 0
