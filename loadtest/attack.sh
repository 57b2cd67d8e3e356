#!/usr/bin/env bash
# loadtest/attack.sh -- do ordinary cached queries keep being answered while KeyTrap-style
# queries arrive at a high rate? (issue "Hardening": attack vs no-attack throughput)
#
# Starts `dnssec-proxy lab --world hostile` (the hostile test zones behind an in-process upstream,
# the proxy in front, all on 127.0.0.1) and our load generator, in three phases of SECONDS each:
#   alone    GOOD: www.good.hostile A, closed loop (a cache hit after the first query)
#   control  GOOD, beside a second generator asking fresh names under *.wild.good.hostile
#            (cache misses in a well-behaved zone: what any miss traffic costs on these 2 cores)
#   attack   GOOD, beside a second generator asking fresh names under the hostile wildcards of
#            keytrap. (64 colliding keys, 32 bad RRSIGs), manysigs. (100 bad RRSIGs) and
#            bigexp. (RSA keys with 4096-bit exponents)
# and reports per phase: good answers/s and their p99, the second generator's answers/s and
# RCODEs, and the proxy's CPU time. Output: OUT/results.md, raw generator JSON in OUT/raw/.
#
# Usage: loadtest/attack.sh   (after `mvn -q -DskipTests package`)
# Env: SECONDS_PER_PHASE (20), GOOD_OUTSTANDING (20), MISS_OUTSTANDING (16), PORT (5399),
#      PROXY_JAR, LOADTEST_JAR, JAVA (java), JVM_OPTS, OUT (loadtest/results/attack).
# Bounded: each generator run by -l, the proxy killed on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PHASE=${SECONDS_PER_PHASE:-20}
GOOD_C=${GOOD_OUTSTANDING:-20}
MISS_C=${MISS_OUTSTANDING:-16}
PORT=${PORT:-5399}
PROXY_JAR=${PROXY_JAR:-$ROOT/proxy/target/dnssec-proxy.jar}
LOADTEST_JAR=${LOADTEST_JAR:-$ROOT/loadtest/target/dnssec-loadtest.jar}
JAVA=${JAVA:-java}
JVM_OPTS=${JVM_OPTS:-}
OUT=${OUT:-$HERE/results/attack}

for jar in "$PROXY_JAR" "$LOADTEST_JAR"; do
  [[ -f $jar ]] || { echo "attack.sh: $jar is missing: run 'mvn -q -DskipTests package' first" >&2; exit 2; }
done
mkdir -p "$OUT/raw"
work=$(mktemp -d)
proxy_pid=
cleanup() {
  local rc=$? # the script's own status: not the killed proxy's
  if [[ -n $proxy_pid ]]; then
    kill "$proxy_pid" 2>/dev/null
    wait "$proxy_pid" 2>/dev/null || true # 143: it ended on our SIGTERM
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT

echo "www.good.hostile A" > "$work/good.txt"
# Fresh names, never asked twice: every query is a miss that must be validated.
awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "m%d.wild.good.hostile A\n", i }' > "$work/control.txt"
awk 'BEGIN { split("keytrap manysigs bigexp", z, " ");
             for (i = 0; i < 1000000; i++) printf "a%d.wild.%s.hostile A\n", i, z[i % 3 + 1] }' > "$work/attack.txt"

# shellcheck disable=SC2086
"$JAVA" $JVM_OPTS -jar "$PROXY_JAR" lab --world hostile --listen "127.0.0.1:$PORT" --admin-listen off \
  > "$OUT/raw/proxy.log" 2>&1 &
proxy_pid=$!
for _ in $(seq 1 120); do
  grep -q "^lab (hostile world): proxy on" "$OUT/raw/proxy.log" && break
  kill -0 "$proxy_pid" 2>/dev/null || { echo "attack.sh: the proxy exited:" >&2; cat "$OUT/raw/proxy.log" >&2; exit 1; }
  sleep 1
done
grep -q "^lab (hostile world): proxy on" "$OUT/raw/proxy.log" || { echo "attack.sh: the proxy did not start in 120 s" >&2; exit 1; }

gen() { # label query-file outstanding json [extra args]
  local label=$1 file=$2 c=$3 json=$4; shift 4
  "$JAVA" -jar "$LOADTEST_JAR" -s 127.0.0.1 -p "$PORT" -d "$file" -c "$c" -l "$PHASE" --do -t 3 \
    --label "$label" --json "$json" "$@" > "${json%.json}.txt" 2>&1
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$proxy_pid/stat"; }
field() { # json step-field
  python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["steps"][0]; v=s
for k in sys.argv[2].split("."): v=v[k]
print(v if not isinstance(v, float) else round(v, 2))' "$1" "$2"
}
rcodes() { python3 -c 'import json,sys; print(", ".join(f"{k} {v}" for k, v in json.load(open(sys.argv[1]))["steps"][0]["rcodes"].items()))' "$1"; }

echo "attack.sh: warming up (JIT, key cache)"
gen warm-good "$work/good.txt" "$GOOD_C" "$work/warm.json" -l 5 -n 200000 || true
gen warm-miss "$work/control.txt" "$MISS_C" "$work/warm2.json" -l 5 -n 3000 || true

declare -A second=([control]="$work/control.txt" [attack]="$work/attack.txt")
hz=$(getconf CLK_TCK)
rows=()
for phase in alone control attack; do
  echo "attack.sh: phase $phase (${PHASE} s)"
  before=$(cpu_ticks)
  if [[ $phase != alone ]]; then
    gen "$phase-miss" "${second[$phase]}" "$MISS_C" "$OUT/raw/$phase-miss.json" --passes 1 &
    miss_pid=$!
  fi
  gen "$phase-good" "$work/good.txt" "$GOOD_C" "$OUT/raw/$phase-good.json"
  [[ $phase != alone ]] && wait "$miss_pid"
  after=$(cpu_ticks)
  good_qps=$(field "$OUT/raw/$phase-good.json" qps)
  good_p99=$(field "$OUT/raw/$phase-good.json" latency_ms.p99)
  if [[ $phase == alone ]]; then
    miss="-"; miss_rc="-"
  else
    miss=$(field "$OUT/raw/$phase-miss.json" qps); miss_rc=$(rcodes "$OUT/raw/$phase-miss.json")
  fi
  cpu=$(awk -v t=$((after - before)) -v hz="$hz" -v s="$PHASE" 'BEGIN { printf "%.0f%%", 100 * t / hz / s }')
  rows+=("| $phase | $good_qps | $good_p99 | $miss | $miss_rc | $cpu |")
done

alone=$(field "$OUT/raw/alone-good.json" qps)
control=$(field "$OUT/raw/control-good.json" qps)
attack=$(field "$OUT/raw/attack-good.json" qps)
{
  echo "# Good cached queries with and without attack traffic"
  echo
  echo "\`loadtest/attack.sh\`, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Proxy: \`lab --world hostile\` on 127.0.0.1:$PORT; generators closed loop, good -c $GOOD_C, second -c $MISS_C, ${PHASE} s per phase."
  echo
  echo "| phase | good answers/s | good p99 ms | second generator answers/s | its RCODEs | proxy CPU (of one core) |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  awk -v a="$alone" -v c="$control" -v x="$attack" 'BEGIN {
    printf "Under attack the good queries keep %.0f%% of their rate alone and %.0f%% of their rate beside ordinary misses.\n", 100 * x / a, 100 * x / c }'
} > "$OUT/results.md"
cat "$OUT/results.md"
