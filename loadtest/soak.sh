#!/usr/bin/env bash
# loadtest/soak.sh -- a long run of the real proxy process in front of the testbed: mixed traffic
# at a fixed rate for MINUTES, the proxy's RSS and CPU sampled every 30 s, then its metrics.
# What the in-process SoakTest (-Psoak) cannot show: the jar with the image's JVM flags, its
# heap cap and its collector, for as long as one likes.
#
# Traffic (one query file, dnsperf cycling through it): the 10,000 names of each cold zone (30,000
# against a 10,000-answer cache, so answers are evicted and validated again on every pass), 10,000
# random wildcard names under each wildcard zone and 5,000 random NXDOMAIN names under each of
# ecdsa.test and rsa-nsec3.test (answered from held NSEC/NSEC3 records), each line followed by two
# hot names, and one bogus name in every 50 lines (SERVFAIL + EDE).
#
# Usage (as root, testbed running: ../shared/testbed/start.sh):
#   loadtest/soak.sh
# Env: MINUTES (40), QPS (2000), JAR (proxy/target/dnssec-proxy.jar), JVM_OPTS (the image's
#      flags), PROXY_ARGS (--cache-max-entries 10000), OUT (loadtest/results/soak).
# Output in OUT: rss.tsv (seconds, RSS KiB, CPU ticks), dnsperf.txt, metrics.txt (the last
# scrape), proxy.log, and a summary on stdout. Bounded: dnsperf by -l, the script by a watchdog;
# everything it started is stopped on exit.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=loadtest/lib.sh
. "$HERE/lib.sh"

NET=127.0.10
UP=$NET.53
ADDR=$NET.206
ADMIN_PORT=9155
TB=${TESTBED_DIR:-/tmp/dnssec-testbed}
MINUTES=${MINUTES:-40}
QPS=${QPS:-2000}
JAR=${JAR:-$ROOT/proxy/target/dnssec-proxy.jar}
JVM_OPTS=${JVM_OPTS:-$(image_flags "$ROOT")}
PROXY_ARGS=${PROXY_ARGS:---cache-max-entries 10000}
OUT=${OUT:-$ROOT/loadtest/results/soak}
ADDED=()

log() { echo "[soak $(date +%T)] $*" >&2; }
die() { log "FATAL: $*"; exit 1; }

[[ -f $JAR ]] || die "no jar $JAR (mvn -B -ntp -DskipTests package)"
(( EUID == 0 )) || die "needs root (port 53, loopback addresses)"
for c in dnsperf dig ip curl java; do command -v "$c" >/dev/null || die "missing $c"; done
(( MINUTES >= 1 && QPS >= 1 )) || die "MINUTES and QPS must be >= 1"
world_up || die "no testbed answers on $UP (start it: ../shared/testbed/start.sh)"
mkdir -p "$OUT" || die "cannot create $OUT"
# The proxy runs from a copy: a rebuild during the run would swap the jar under a JVM that still
# loads classes from it.
RUN=$(mktemp -d /tmp/dnssec-soak.XXXXXX)
cp "$JAR" "$RUN/proxy.jar"

PID= SAMPLER=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  kill "$WATCHDOG" "$SAMPLER" 2>/dev/null
  if [[ -n $PID ]]; then kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; fi
  for a in "${ADDED[@]}"; do ip addr del "$a/32" dev lo 2>/dev/null; done
  rm -rf "$RUN"
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM
start_watchdog $((MINUTES * 60 + 300)) soak
add_addr "$ADDR" || die "cannot add $ADDR to lo"

# ---------------------------------------------------------------- the query file
{
  for z in cold-ecdsa.test cold-rsa.test cold-ed25519.test; do cold "$z" 1 10000; done
  wild wild.ecdsa.test 10000
  wild wild.rsa-nsec3.test 10000
  wild ecdsa.test 5000 | sed 's/^r/nx/'
  wild rsa-nsec3.test 5000 | sed 's/^r/nx/'
} | shuf > "$RUN/lines.txt"
awk 'BEGIN {
       n = split("www.ecdsa.test A|www.rsa-nsec3.test A|www.ed25519.example A|www.insecure.test A|cname.ecdsa.test A|www.ecdsa.test MX|www.rsa-optout.test A|www.unsigned.rsa-optout.test A", hot, "|")
       split("www.badsig.test A|www.expired.test A|nope.nonsec.test A|cname-bogus.ecdsa.test A", bogus, "|")
     }
     { print; print hot[(NR - 1) % n + 1]; print hot[((NR - 1) * 3 + 1) % n + 1]
       if ((NR - 1) % 50 == 0) print bogus[int((NR - 1) / 50) % 4 + 1] }' "$RUN/lines.txt" > "$RUN/queries.txt"
log "$(wc -l < "$RUN/queries.txt") queries in the file; $QPS per second for $MINUTES minutes"

# ---------------------------------------------------------------- the run
# shellcheck disable=SC2086
setsid java $JVM_OPTS -jar "$RUN/proxy.jar" --listen "$ADDR:53" --upstream "$UP" \
  --trust-anchor-file "$TB/zones/trust-anchor/root.ds" --admin-listen "127.0.0.1:$ADMIN_PORT" $PROXY_ARGS \
  > "$OUT/proxy.log" 2>&1 < /dev/null &
PID=$!
for _ in $(seq 150); do
  [[ $(dig +short +time=1 +tries=1 @"$ADDR" www.ecdsa.test A 2>/dev/null) == 192.0.2.1 ]] && break
  kill -0 "$PID" 2>/dev/null || { tail -5 "$OUT/proxy.log" >&2; die "the proxy did not start"; }
  sleep 0.2
done
T0=$(date +%s)
printf 'seconds\trss_kb\tcpu_ticks\n' > "$OUT/rss.tsv"
( while kill -0 "$PID" 2>/dev/null; do
    printf '%s\t%s\t%s\n' $(($(date +%s) - T0)) "$(rss_kb "$PID")" "$(awk '{ print $14 + $15 }' /proc/"$PID"/stat 2>/dev/null)"
    sleep 30
  done ) >> "$OUT/rss.tsv" &
SAMPLER=$!
dnsperf -s "$ADDR" -d "$RUN/queries.txt" -l $((MINUTES * 60)) -Q "$QPS" -c 20 -q 200 -t 5 -D > "$OUT/dnsperf.txt" 2>&1
curl -s --max-time 5 "http://127.0.0.1:$ADMIN_PORT/metrics" > "$OUT/metrics.txt"
kill "$SAMPLER" 2>/dev/null
printf '%s\t%s\t%s\n' $(($(date +%s) - T0)) "$(rss_kb "$PID")" "$(awk '{ print $14 + $15 }' /proc/"$PID"/stat)" >> "$OUT/rss.tsv"

# ---------------------------------------------------------------- summary
metric() { awk -v m="$1" 'index($0, m) == 1 { s += $NF } END { printf "%.0f", s }' "$OUT/metrics.txt"; }
grep -E 'Queries (sent|completed|lost)|Response codes|Average Latency' "$OUT/dnsperf.txt"
awk -F'\t' -v hz="$(getconf CLK_TCK)" 'NR == 2 { c0 = $3 } NR > 1 { if ($2 > max) max = $2; last = $2; t = $1; c = $3 }
  END { printf "RSS: %.1f MiB at the end, %.1f MiB at most; CPU %.0f s in %d s\n", last / 1024, max / 1024, (c - c0) / hz, t }' "$OUT/rss.tsv"
echo "validated signatures $(metric 'dnssec_proxy_signatures_total{outcome="verified"}'), cache evictions $(metric dnssec_proxy_cache_evictions_total), upstream queries $(metric dnssec_proxy_upstream_queries_total), bogus answered SERVFAIL $(metric 'dnssec_proxy_answers_total{action="blocked"}')"
echo "collections: minor $(metric 'jvm_gc_pause_seconds_count{action="end of minor GC"'), major $(metric 'jvm_gc_pause_seconds_count{action="end of major GC"') ($(awk 'index($0, "jvm_gc_pause_seconds_sum{action=\"end of major GC\"") == 1 { s += $NF } END { printf "%.2f", s }' "$OUT/metrics.txt") s)"
log "results in $OUT"
exit 0
