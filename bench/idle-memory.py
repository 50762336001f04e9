#!/usr/bin/env python3
"""Resident memory per idle connection of an HTTP server (Linux: VmRSS from /proc/PID/status).

Starts the server, opens WARMUP connections of the chosen kind (so one-time costs such as thread
stacks, loop buffers and runtime caches are paid), reads VmRSS, opens COUNT more, waits for the
figure to settle, reads VmRSS again and prints (after - before) / COUNT.

Kinds:
  sse        GET /ticks?count=1&interval_ms=3600000: head + one event received, then the handler
             sleeps for an hour (an idle SSE subscriber: connection, task, sleeping handler).
  keepalive  GET /hello, response read in full, connection left open (idle keep-alive).
  echo       POST /echo with a 16 KiB body, the 16 KiB response read in full, connection left open
             (idle keep-alive after a larger exchange: shows buffer capacity kept after use).
  fresh      connected, nothing sent (idle before its first request).
  fanout     POST /_remote/bench.fanout (Accept: text/event-stream, body null) against
             remote-bench-server: head and `retry:` line received, then the subscription stays idle
             (an idle runtime stream: connection, request task, open stream, handler waiting).

Usage:
  bench/idle-memory.py [--server PATH] [--kind sse|keepalive|echo|fresh|fanout] [--count 1000] [--warmup 100]
                       [--repeat 3]
The server must accept `--port 0` and print `listening on HOST:PORT` (http-bench does); default
.build/release/http-bench. Prints one line per run and the median.
"""
import argparse
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import time

REQUESTS = {
    "sse": (b"GET /ticks?count=1&interval_ms=3600000 HTTP/1.1\r\nHost: bench\r\n\r\n", b'data: {"i":0}\n\n'),
    "keepalive": (b"GET /hello HTTP/1.1\r\nHost: bench\r\n\r\n", b'"Hello, World!"}'),
    "echo": (b"POST /echo HTTP/1.1\r\nHost: bench\r\ncontent-type: application/octet-stream\r\n"
             b"content-length: 16384\r\n\r\n" + b"e" * 16383 + b"!", b"!"),
    "fresh": (None, None),
    "fanout": (b"POST /_remote/bench.fanout HTTP/1.1\r\nHost: bench\r\naccept: text/event-stream\r\n"
               b"content-type: application/json\r\ncontent-length: 4\r\n\r\nnull", re.compile(rb"retry: \d+\n\n")),
}


def vm_rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def settled_rss(pid, quiet_seconds=1.0, limit_seconds=10.0):
    """VmRSS once it has not changed for `quiet_seconds` (at most `limit_seconds`)."""
    deadline = time.monotonic() + limit_seconds
    last = vm_rss_kib(pid)
    stable_since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = vm_rss_kib(pid)
        if now != last:
            last = now
            stable_since = time.monotonic()
        elif time.monotonic() - stable_since >= quiet_seconds:
            break
    return last


def open_connections(host, port, kind, count):
    request, marker = REQUESTS[kind]
    sockets = []
    for _ in range(count):
        connection = socket.create_connection((host, port), timeout=30)
        if request is not None:
            connection.sendall(request)
            received = b""
            while not (marker.search(received) if isinstance(marker, re.Pattern) else marker in received):
                more = connection.recv(65536)
                if not more:
                    raise RuntimeError(f"server closed a {kind} connection early: {received[:200]!r}")
                received += more
        sockets.append(connection)
    return sockets


def run_once(server, kind, count, warmup, extra_args):
    process = subprocess.Popen(
        [server, "--host", "127.0.0.1", "--port", "0", *extra_args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = process.stdout.readline()
        match = re.match(r"listening on (.+):(\d+)", line)
        if not match:
            raise RuntimeError(f"unexpected server output: {line!r}")
        host, port = match.group(1), int(match.group(2))
        warm = open_connections(host, port, kind, warmup)
        before = settled_rss(process.pid)
        measured = open_connections(host, port, kind, count)
        after = settled_rss(process.pid)
        for connection in warm + measured:
            connection.close()
        return before, after
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=".build/release/http-bench")
    parser.add_argument("--kind", choices=sorted(REQUESTS), default="sse")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("server_args", nargs="*", help="extra arguments for the server (after --)")
    arguments = parser.parse_args()

    needed = arguments.count + arguments.warmup + 64
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))

    per_connection = []
    for run in range(arguments.repeat):
        before, after = run_once(arguments.server, arguments.kind, arguments.count, arguments.warmup,
                                 arguments.server_args)
        kib = (after - before) / arguments.count
        per_connection.append(kib)
        print(f"run {run + 1}: {arguments.kind} VmRSS {before} KiB -> {after} KiB with "
              f"{arguments.count} more connections: {kib:.2f} KiB per connection", flush=True)
    print(f"median: {statistics.median(per_connection):.2f} KiB per idle {arguments.kind} connection "
          f"({os.path.basename(arguments.server)}, {arguments.count} connections, {arguments.repeat} runs)")


if __name__ == "__main__":
    sys.exit(main())
