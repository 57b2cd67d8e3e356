#!/usr/bin/env bash
# Proves the container image runs, without Docker or Kubernetes: the Jib OCI tarball is
# copied into an OCI layout (skopeo), unpacked into a runtime bundle (umoci) and run with runc
# the way a pod runs the sidecar: uid 65532, no capabilities, read-only root, /tmp a tmpfs,
# a network namespace with loopback only, the sysctl net.ipv4.ip_unprivileged_port_start=53,
# and the policy directory laid out as the kubelet lays out a ConfigMap volume. In there, a
# tiny upstream (proxy/src/image/tiny_upstream.py) answers; dig checks that the proxy
#   - answers a cluster name with the upstream's record (forwarding works),
#   - answers an unsigned name under the root SERVFAIL with an Extended DNS Error (it validates),
#   - passes that name once the policy's mode is flipped to permissive (if the image has --policy-dir),
#   - answers SERVFAIL + EDE 22 once the upstream is gone,
# that /healthz and /readyz answer, that the JVM mapped the AppCDS archive (-Xshare:on) and
# that stdout carries only JSON lines. Then it stops the container and cleans up.
#
# Needs root. Installs skopeo, umoci, runc, dig (bind9-dnsutils), ip (iproute2) and python3
# from Debian if missing. Bounded: the whole run is killed after 300 s.
#
# Usage: k8s/image-smoke.sh [IMAGE_TAR]   (default proxy/target/dnssec-proxy-image.tar,
#        built by: mvn -Pimage -DskipTests clean package)
set -euo pipefail

if [[ -z ${IMAGE_SMOKE_BOUNDED:-} ]]; then
  IMAGE_SMOKE_BOUNDED=1 exec timeout --kill-after=10 300 "$0" "$@"
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
tar=$(readlink -f "${1:-$repo/proxy/target/dnssec-proxy-image.tar}")
name=dnssec-smoke-$$
work=
upstream_pid=

say() { printf 'image-smoke: %s\n' "$*"; }
die() { printf 'image-smoke: FAIL: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "needs root (runc, network namespaces)"
[[ -f $tar ]] || die "no image tarball at $tar; build it with: mvn -Pimage -DskipTests clean package"

need=()
command -v skopeo >/dev/null || need+=(skopeo)
command -v umoci >/dev/null || need+=(umoci)
command -v runc >/dev/null || need+=(runc)
command -v dig >/dev/null || need+=(bind9-dnsutils)
command -v ip >/dev/null || need+=(iproute2)
command -v python3 >/dev/null || need+=(python3)
if ((${#need[@]})); then
  say "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

cleanup() {
  set +e
  runc kill "$name" KILL >/dev/null 2>&1
  runc delete --force "$name" >/dev/null 2>&1
  [[ -n $upstream_pid ]] && kill "$upstream_pid" 2>/dev/null && wait "$upstream_pid" 2>/dev/null
  ip netns delete "$name" 2>/dev/null
  [[ -n $work ]] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 124' TERM INT

work=$(mktemp -d /tmp/dnssec-smoke.XXXXXX)

# --- image → OCI layout → bundle --------------------------------------------------------------
if tar tf "$tar" | grep -qx 'index.json'; then src=oci-archive:$tar; else src=docker-archive:$tar; fi
skopeo --insecure-policy copy -q "$src" "oci:$work/oci:smoke"
umoci unpack --image "$work/oci:smoke" "$work/bundle" >/dev/null
say "unpacked $(basename "$tar") ($(du -sm "$work/bundle/rootfs" | cut -f1) MiB root filesystem)"

# The policy directory as the kubelet writes a ConfigMap volume: keys are symlinks through
# ..data, which is swapped atomically to a new timestamped directory on every change.
policy=$work/policy
set_policy() {
  local dir="..$(date +%s%N)"
  mkdir "$policy/$dir"
  printf '%s' "$1" >"$policy/$dir/mode"
  printf '' >"$policy/$dir/insecure-domains"
  ln -sfn "$dir" "$policy/..data_tmp" && mv -T "$policy/..data_tmp" "$policy/..data"
  ln -sfn ..data/mode "$policy/mode"
  ln -sfn ..data/insecure-domains "$policy/insecure-domains"
}
mkdir -p "$policy"
set_policy enforce
chmod -R a+rX "$policy"

jar_help=$("$work/bundle/rootfs/opt/java/bin/java" -jar "$work/bundle/rootfs/app/dnssec-proxy.jar" --help 2>&1 || true)
policy_args=()
if grep -q -- '--policy-dir' <<<"$jar_help"; then
  policy_args=(--policy-dir /etc/dnssec-proxy/policy)
fi

# --- network namespace with loopback only, and the upstream in it --------------------------------
ip netns add "$name"
ip -n "$name" link set lo up
up_port=5300
ip netns exec "$name" python3 "$repo/proxy/src/image/tiny_upstream.py" --port "$up_port" --max-seconds 240 >"$work/upstream.log" 2>&1 &
upstream_pid=$!

# --- the runtime spec: what the chart asks of Kubernetes ------------------------------------------
python3 - "$work/bundle/config.json" "$name" "$policy" "$up_port" "${policy_args[@]}" <<'PY'
import json, sys
path, netns, policy, up_port, *policy_args = sys.argv[1:]
spec = json.load(open(path))
p = spec["process"]
p["args"] += ["--listen", "127.0.0.1:53", "--upstream", f"127.0.0.1:{up_port}",
              "--admin-listen", "127.0.0.1:9153", *policy_args]
# -Xshare:on: the JVM refuses to start unless it maps the CDS archives (base and AppCDS).
p["env"] = [e for e in p.get("env", []) if not e.startswith("JDK_JAVA_OPTIONS=")] + [
    "JDK_JAVA_OPTIONS=-Xshare:on", "POD_NAMESPACE=smoke"]
p["terminal"] = False
p["noNewPrivileges"] = True
p["capabilities"] = {k: [] for k in ("bounding", "effective", "inheritable", "permitted", "ambient")}
assert p["user"]["uid"] == 65532 and p["user"]["gid"] == 65532, p["user"]
spec["root"]["readonly"] = True
spec["mounts"] = [m for m in spec["mounts"] if m["destination"] != "/tmp"] + [
    {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "mode=1777", "size=16m"]},
    {"destination": "/etc/dnssec-proxy/policy", "type": "bind", "source": policy, "options": ["rbind", "ro"]},
]
linux = spec["linux"]
linux["namespaces"] = [n for n in linux["namespaces"] if n["type"] != "network"] + [
    {"type": "network", "path": f"/var/run/netns/{netns}"}]
linux["sysctl"] = {"net.ipv4.ip_unprivileged_port_start": "53"}
json.dump(spec, open(path, "w"), indent=1)
PY

# --- run -----------------------------------------------------------------------------------------
runc run --detach --bundle "$work/bundle" "$name" >"$work/stdout.log" 2>"$work/stderr.log" </dev/null
for _ in $(seq 1 300); do
  grep -q '"event":"started"' "$work/stdout.log" && break
  runc state "$name" 2>/dev/null | grep -q '"status": "running"' || { cat "$work/stderr.log" >&2; die "the container stopped"; }
  sleep 0.1
done
grep -q '"event":"started"' "$work/stdout.log" || { cat "$work/stderr.log" >&2; die "no started line in 30 s"; }
say "started: $(grep -m1 '"event":"started"' "$work/stdout.log")"
# The native transport must load inside the image (its library needs what the image ships and a
# writable /tmp); on NIO the proxy works but spends more CPU per query.
grep -m1 '"event":"started"' "$work/stdout.log" | grep -q '"transport":"epoll"' ||
  die "the proxy runs without the epoll transport (see the started line)"
say "ok: epoll transport"

in_pod() { ip netns exec "$name" "$@"; }
ask() { in_pod dig @127.0.0.1 -p 53 +time=4 +tries=1 "$@" 2>&1 || true; }
http_status() {
  in_pod python3 -c 'import sys, urllib.request, urllib.error
try:
    print(urllib.request.urlopen("http://127.0.0.1:9153" + sys.argv[1], timeout=3).status)
except urllib.error.HTTPError as e:
    print(e.code)' "$1" 2>/dev/null || echo none
}

# /readyz turns 200 once the upstream has answered the proxy's probe.
for _ in $(seq 1 50); do [[ $(http_status /readyz) == 200 ]] && break; sleep 0.2; done
[[ $(http_status /readyz) == 200 ]] || die "/readyz is not 200"
[[ $(http_status /healthz) == 200 ]] || die "/healthz is not 200"
say "ok: /healthz and /readyz answer 200"

out=$(ask kubernetes.default.svc.cluster.local A)
grep -q 'status: NOERROR' <<<"$out" && grep -Eq 'IN[[:space:]]+A[[:space:]]+192\.0\.2\.53' <<<"$out" \
  || die "cluster name not answered with the upstream's record:"$'\n'"$out"
say "ok: kubernetes.default.svc.cluster.local A -> 192.0.2.53 (cluster domain, insecure, forwarded)"

out=$(ask +dnssec www.example.com A)
grep -q 'status: SERVFAIL' <<<"$out" && grep -q 'EDE:' <<<"$out" \
  || die "an unsigned name under a signed root was not refused:"$'\n'"$out"
say "ok: www.example.com A -> SERVFAIL, $(grep -m1 -o 'EDE: [0-9]*[^;]*' <<<"$out" | head -c 80) (validated, enforce)"

if ((${#policy_args[@]})); then
  set_policy permissive
  passed=
  for i in $(seq 1 20); do
    out=$(ask "flip$i.example.com" A)
    if grep -q 'status: NOERROR' <<<"$out"; then passed=$i; break; fi
    sleep 0.5
  done
  [[ -n $passed ]] || die "mode flipped to permissive in the policy directory, but bogus answers are still refused"
  say "ok: after the policy flip to permissive, a bogus answer passes (query $passed, ~$((passed / 2)) s)"
  set_policy enforce
else
  say "skipped: policy flip (this image's proxy has no --policy-dir yet)"
fi

kill "$upstream_pid" && wait "$upstream_pid" 2>/dev/null || true
upstream_pid=
start=$(date +%s%N)
out=$(ask gone.example.org A)
took=$((($(date +%s%N) - start) / 1000000))
grep -q 'status: SERVFAIL' <<<"$out" && grep -q 'EDE: 22' <<<"$out" \
  || die "no SERVFAIL + EDE 22 with the upstream gone:"$'\n'"$out"
say "ok: upstream gone -> SERVFAIL + EDE 22 (No Reachable Authority) in ${took} ms"

runc kill "$name" TERM
for _ in $(seq 1 100); do
  runc state "$name" 2>/dev/null | grep -q '"status": "stopped"' && break
  sleep 0.1
done
runc state "$name" 2>/dev/null | grep -q '"status": "stopped"' || die "the proxy did not stop within 10 s of SIGTERM"
say "ok: stopped on SIGTERM"

python3 - "$work/stdout.log" <<'PY' || die "stdout has lines that are not JSON"
import json, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
for l in lines:
    json.loads(l)
print(f"image-smoke: ok: stdout is {len(lines)} JSON line(s)")
PY
grep -q 'Picked up JDK_JAVA_OPTIONS: -Xshare:on' "$work/stderr.log" || die "-Xshare:on was not applied, so AppCDS use is unproven"
if grep -q '\[warning\]\[cds' "$work/stderr.log"; then cat "$work/stderr.log" >&2; die "CDS warnings"; fi
say "ok: the JVM ran with -Xshare:on, so it mapped the AppCDS archive"
say "PASS"
