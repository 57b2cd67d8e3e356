#!/usr/bin/env python3
"""A minimal DNS upstream on loopback for the image smoke test and the start-up measurement.

Answers every UDP query itself, never forwarding: type A gets one A record (192.0.2.53, a
documentation address), anything else an empty NOERROR. It signs nothing, so the proxy finds
names under the cluster domain insecure (and answers them) and names under the root bogus.
Stops by itself after --max-seconds. Standard library only.
"""
import argparse
import socket
import struct
import sys
import threading
import time

ANSWER_ADDRESS = bytes([192, 0, 2, 53])


def question_end(packet):
    """Offset just past the first question (name, type, class), or None if malformed."""
    pos = 12
    while pos < len(packet):
        length = packet[pos]
        if length == 0:
            return pos + 5 if pos + 5 <= len(packet) else None
        if length & 0xC0:
            return None
        pos += 1 + length
    return None


def answer(query):
    if len(query) < 12:
        return None
    qid, flags, qdcount = struct.unpack("!HHH", query[:6])
    end = question_end(query) if qdcount == 1 else None
    if end is None:
        return struct.pack("!HHHHHH", qid, 0x8001, 0, 0, 0, 0)  # FORMERR
    question = query[12:end]
    qtype = struct.unpack("!H", question[-4:-2])[0]
    # QR, RA; RD and CD copied from the query; NOERROR.
    reply_flags = 0x8080 | (flags & 0x0100) | (flags & 0x0010)
    records = b""
    count = 0
    if qtype == 1:
        records = struct.pack("!HHHIH", 0xC00C, 1, 1, 30, 4) + ANSWER_ADDRESS
        count = 1
    return struct.pack("!HHHHHH", qid, reply_flags, 1, count, 0, 0) + question + records


class Upstream:
    """The responder on 127.0.0.1:port (0 picks one), in a daemon thread."""

    def __init__(self, port=0, host="127.0.0.1"):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, port))
        self.port = self.sock.getsockname()[1]
        self.queries = 0
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def _serve(self):
        self.sock.settimeout(0.2)
        while not self._stop:
            try:
                data, peer = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            reply = answer(data)
            if reply is not None:
                self.queries += 1
                self.sock.sendto(reply, peer)

    def stop(self):
        self._stop = True
        self.thread.join(timeout=2)
        self.sock.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--max-seconds", type=float, default=300)
    args = parser.parse_args()
    upstream = Upstream(args.port, args.host).start()
    print(f"listening {args.host}:{upstream.port}", flush=True)
    deadline = time.monotonic() + args.max_seconds
    try:
        while time.monotonic() < deadline:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    upstream.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
