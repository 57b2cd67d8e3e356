#!/usr/bin/env bash
# Writes ROOT/app/dnssec-proxy.jsa, the AppCDS archive of the classes the proxy loads while it
# starts, answers DNS over UDP and TCP, and serves its admin endpoints. The training run uses the
# jlinked JRE and the jar inside ROOT with the image's own flags (ROOT/app/jvm.args), so the
# archive matches them at run time. The upstream is a closed port: every query is answered
# SERVFAIL + EDE 22 after the short upstream timeout, which walks the whole query path.
# Needs only bash (its /dev/udp and /dev/tcp), dd and od. Usage: train-cds.sh ROOT
set -euo pipefail

root=$(cd "${1:?usage: train-cds.sh ROOT}" && pwd)
java=$root/opt/java/bin/java
jsa=$root/app/dnssec-proxy.jsa
log=$(mktemp)
pid=
cleanup() {
  [[ -n $pid ]] && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT
rm -f "$jsa"

# JDK 17 records the class path as given and insists on it at run time, so the jar is named
# relative to the image's working directory, /app, exactly as the entrypoint names it.
# Outside variables must not leak extra flags into the archive's JVM.
cd "$root/app"
env -u JAVA_TOOL_OPTIONS -u JDK_JAVA_OPTIONS -u _JAVA_OPTIONS \
  "$java" -XX:ArchiveClassesAtExit="$jsa" @jvm.args -jar dnssec-proxy.jar \
  --listen 127.0.0.1:0 --upstream 127.0.0.1:9 --admin-listen 127.0.0.1:0 --upstream-timeout 200 \
  >"$log" 2>&1 &
pid=$!

# The "started" line names the ports picked: "listen":"udp+tcp 127.0.0.1:PORT" style text, "admin":"127.0.0.1:PORT".
for _ in $(seq 1 300); do
  grep -q '"event":"started"' "$log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "train-cds: the proxy exited early" >&2; exit 1; }
  sleep 0.1
done
started=$(grep -m1 '"event":"started"' "$log") || { cat "$log" >&2; echo "train-cds: no started line in 30 s" >&2; exit 1; }
dns_port=$(sed -E 's/.*"listen":"[^"]*127\.0\.0\.1:([0-9]+).*/\1/' <<<"$started")
admin_port=$(sed -E 's/.*"admin":"127\.0\.0\.1:([0-9]+)".*/\1/' <<<"$started")
[[ $dns_port =~ ^[0-9]+$ && $admin_port =~ ^[0-9]+$ ]] || { echo "train-cds: cannot read ports from: $started" >&2; exit 1; }

# A query for NAME (type A, RD, EDNS0 with DO set), as printf escapes.
query() {
  local id=$1 name=$2 q="" label
  q+="\\x${id:0:2}\\x${id:2:2}\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x01"
  IFS=. read -ra labels <<<"$name"
  for label in "${labels[@]}"; do q+=$(printf '\\x%02x%s' "${#label}" "$label"); done
  q+="\\x00\\x00\\x01\\x00\\x01"
  q+="\\x00\\x00\\x29\\x04\\xd0\\x00\\x00\\x80\\x00\\x00\\x00"
  printf '%s' "$q"
}
# The reply's header as hex; empty when nothing came back in 5 s.
udp_ask() {
  local hex
  exec 3<>"/dev/udp/127.0.0.1/$dns_port"
  printf "$(query "$1" "$2")" >&3
  hex=$(timeout 5 dd bs=4096 count=1 status=none <&3 | od -An -tx1 -N4 | tr -d ' \n') || true
  exec 3>&-
  printf '%s' "$hex"
}
tcp_ask() {
  local q hex
  q=$(query "$1" "$2")
  exec 3<>"/dev/tcp/127.0.0.1/$dns_port"
  # Two-byte length prefix; the query is (printf-expanded) byte count long.
  printf "\\x00\\x$(printf '%02x' "$(printf "$q" | wc -c)")$q" >&3
  hex=$(timeout 5 dd bs=4096 count=1 status=none <&3 | od -An -tx1 -j2 -N4 | tr -d ' \n') || true
  exec 3>&-
  printf '%s' "$hex"
}
http_get() {
  exec 3<>"/dev/tcp/127.0.0.1/$admin_port"
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$1" >&3
  timeout 5 cat <&3 >/dev/null || true
  exec 3>&-
}

answered=0
for i in 1 2 3; do
  # SERVFAIL (rcode 2) with QR set: flags byte 3 ends in 2.
  [[ $(udp_ask "a10$i" "www$i.example.com") =~ ^a10${i}8.82$ ]] && answered=$((answered + 1))
  [[ $(tcp_ask "b10$i" "tcp$i.example.org") =~ ^b10${i}8.82$ ]] && answered=$((answered + 1))
  http_get /healthz
  http_get /readyz
  http_get /metrics
done
[[ $answered -gt 0 ]] || { cat "$log" >&2; echo "train-cds: the proxy answered no query" >&2; exit 1; }

kill -TERM "$pid"
wait "$pid" || true
pid=
[[ -s $jsa ]] || { cat "$log" >&2; echo "train-cds: no archive written" >&2; exit 1; }
echo "train-cds: $answered of 6 queries answered; archive $(du -k "$jsa" | cut -f1) KiB"
