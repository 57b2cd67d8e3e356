#!/usr/bin/env python3
"""Measures the image's JVM start-up time (to the first DNS answer) and resident memory.

Runs the jlinked JRE and jar of an image root filesystem (as laid out by build-runtime.sh)
directly on this machine, from ROOT/app as the image does, against tiny_upstream.py on
loopback, with several flag sets taken in turn, several times each, and prints the medians as
a Markdown table. Not a test: numbers depend on the machine and its load.

  python3 proxy/src/image/measure_startup.py --root proxy/target/image-root [--runs 7]

Per run: start the proxy; send `kubernetes.default.svc.cluster.local A` over UDP every 5 ms
until an answer with the upstream's record comes back (start-up time, from just before exec);
read VmRSS; then poll /readyz until 200; then send 2000 queries for distinct names (each a
cache miss forwarded upstream) and 2000 repeats (cache hits), note the CPU time they took,
wait 1 s, read VmRSS again.
"""
import argparse
import http.client
import os
import socket
import statistics
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tiny_upstream import Upstream  # noqa: E402

IMAGE_FLAGS = ["-XX:SharedArchiveFile=/APP/dnssec-proxy.jsa", "@jvm.args"]

FLAG_SETS = {
    "no flags, no AppCDS (JVM defaults)": [],
    "jvm.args, no AppCDS": ["@jvm.args"],
    "jvm.args + AppCDS (the image)": IMAGE_FLAGS,
    "the image with C2 back (TieredStopAtLevel=4)": IMAGE_FLAGS + ["-XX:TieredStopAtLevel=4"],
    "the image with G1 instead of Serial": IMAGE_FLAGS + ["-XX:-UseSerialGC", "-XX:+UseG1GC"],
}


def free_port(kind):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def query(qid, name):
    q = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\x00" + struct.pack("!HH", 1, 1)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def cpu_ms(pid):
    """User + system CPU time of the process so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def ask(sock, port, qid, name, timeout):
    sock.settimeout(timeout)
    sock.sendto(query(qid, name), ("127.0.0.1", port))
    try:
        while True:
            data, _ = sock.recvfrom(4096)
            if struct.unpack("!H", data[:2])[0] == qid:
                return data
    except socket.timeout:
        return None


def one_run(root, flags, upstream_port):
    app = os.path.join(root, "app")
    java = os.path.join(root, "opt", "java", "bin", "java")
    dns, admin = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_STREAM)
    flags = [f.replace("/APP", app) for f in flags]
    cmd = [java, *flags, "-jar", "dnssec-proxy.jar", "--listen", f"127.0.0.1:{dns}",
           "--upstream", f"127.0.0.1:{upstream_port}", "--admin-listen", f"127.0.0.1:{admin}"]
    env = {k: v for k, v in os.environ.items() if k not in ("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")}
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=app, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        first = None
        qid = 1
        while time.monotonic() - t0 < 30:
            reply = ask(sock, dns, qid, "kubernetes.default.svc.cluster.local", 0.005)
            qid += 1
            if reply is not None and reply[-4:] == bytes([192, 0, 2, 53]):
                first = time.monotonic() - t0
                break
            if proc.poll() is not None:
                raise RuntimeError("proxy exited: " + proc.stderr.read().decode(errors="replace"))
        if first is None:
            raise RuntimeError("no answer in 30 s")
        rss_first = rss_kib(proc.pid)
        ready = None
        while time.monotonic() - t0 < 30:
            conn = http.client.HTTPConnection("127.0.0.1", admin, timeout=1)
            try:
                conn.request("GET", "/readyz")
                if conn.getresponse().status == 200:
                    ready = time.monotonic() - t0
                    break
            except OSError:
                pass
            finally:
                conn.close()
            time.sleep(0.005)
        cpu_before = cpu_ms(proc.pid)
        for i in range(2000):
            ask(sock, dns, 10000 + i, f"svc{i}.ns.svc.cluster.local", 1)
        for i in range(2000):
            ask(sock, dns, 20000 + i, f"svc{i % 100}.ns.svc.cluster.local", 1)
        cpu = cpu_ms(proc.pid) - cpu_before
        time.sleep(1)
        return first, ready, rss_first, rss_kib(proc.pid), cpu
    finally:
        sock.close()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, help="image root filesystem from build-runtime.sh")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    upstream = Upstream().start()
    print(f"{args.runs} runs each; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at start\n")
    print("| flags | first answer (median, min-max) | /readyz 200 | RSS at first answer | RSS after 4000 queries | CPU for the 4000 |")
    print("|---|---|---|---|---|---|")
    try:
        # Round-robin over the flag sets, so that a change in the machine's load during the
        # measurement affects them all alike.
        results_by_set = {label: [] for label in FLAG_SETS}
        for _ in range(args.runs):
            for label, flags in FLAG_SETS.items():
                results_by_set[label].append(one_run(root, flags, upstream.port))
        for label, results in results_by_set.items():
            firsts = [r[0] * 1000 for r in results]
            readies = [r[1] * 1000 for r in results if r[1] is not None]
            print(f"| {label} | {statistics.median(firsts):.0f} ms ({min(firsts):.0f}-{max(firsts):.0f}) "
                  f"| {statistics.median(readies):.0f} ms "
                  f"| {statistics.median(r[2] for r in results) / 1024:.0f} MiB "
                  f"| {statistics.median(r[3] for r in results) / 1024:.0f} MiB "
                  f"| {statistics.median(r[4] for r in results):.0f} ms |", flush=True)
    finally:
        upstream.stop()
    print(f"\nload average {os.getloadavg()[0]:.2f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
