# loadtest/lib.sh -- shell helpers shared by bench.sh and ab.sh (sourced, not run).
# Expects: NET (the testbed's 127.0.10 prefix), UP (its upstream), ADDED (an array the caller
# removes its loopback addresses from on exit).

# A loopback address of the testbed's range, added once.
add_addr() {
  [[ $1 == $NET.* ]] || return 1
  # not `ip ... | grep -q`: under pipefail, grep's early exit can fail the pipeline (SIGPIPE)
  [[ $(ip -4 addr show dev lo) == *" $1/32 "* ]] && return 0
  ip addr add "$1/32" dev lo && ADDED+=("$1")
}

# The testbed world answers on its upstream.
world_up() { [[ $(dig +short +time=1 +tries=1 @"$UP" www.ecdsa.test A 2>/dev/null) == 192.0.2.1 ]]; }

# Query-file lines: cold ZONE FIRST LAST -> hFIRST.ZONE A .. hLAST.ZONE A (the testbed's cold
# zones hold h00001..); wild ZONE N -> N random, distinct labels (16 hex digits from the kernel).
cold() { awk -v a="$2" -v b="$3" -v z="$1" 'BEGIN{for(i=a;i<=b;i++) printf "h%05d.%s A\n", i, z}'; }
wild() { od -An -v -tx8 -N$((8 * $2)) /dev/urandom | tr -s ' ' '\n' | grep . | sed "s/\$/.$1 A/;s/^/r/"; }

# CPU nanoseconds per thread (TID NS lines), and the CPU between two such snapshots: a thread's
# run time counts from its first snapshot (or from its start), so threads that exit in between
# lose only what they ran in the window, never their whole past.
cpu_snap() { local f; for f in /proc/"$1"/task/*/schedstat; do f=${f%/schedstat}; echo "${f##*/} $(cut -d' ' -f1 "$f/schedstat" 2>/dev/null)"; done; }
cpu_delta_ns() { awk 'NR == FNR { a[$1] = $2; next } $2 != "" { d += $2 - ($1 in a ? a[$1] : 0) } END { printf "%.0f", d }' "$1" "$2"; }
rss_kb() { ps -o rss= -p "$1" 2>/dev/null | tr -d ' '; }

# The container image's JVM flags (proxy/src/image/jvm.args less comments and logging lines).
image_flags() { grep -v -e '^#' -e '^-Xlog' "$1/proxy/src/image/jvm.args" | tr '\n' ' '; }

# A watchdog for the whole script: after $1 seconds it sends TERM to the script and, since bash
# runs its TERM trap only once the current foreground command ends, to the script's own children
# too (the running dnsperf or generator, the resolvers). It sleeps in 1 s steps so that it ends
# by itself soon after the script does. Sets WATCHDOG to its PID, for the exit trap to kill.
start_watchdog() { # seconds tag
  ( for ((i = 0; i < $1; i++)); do sleep 1; kill -0 $$ 2>/dev/null || exit 0; done
    echo "[$2] watchdog: $1 s passed, stopping" >&2
    kill -TERM $$ 2>/dev/null
    for c in $(pgrep -P $$); do [[ $c == "$BASHPID" ]] || kill -TERM "$c" 2>/dev/null; done ) &
  WATCHDOG=$!
}
