#!/usr/bin/env python3
"""start-wait.py PORT TIMEOUT_S PID LAUNCH_MS EXPECTED TOKEN: follows one start of the server PID (launched at
LAUNCH_MS, epoch milliseconds) and prints "ready_ms ready_cpu_ms ready_jit_cpu_ms system_ms system_cpu_ms": when
https://127.0.0.1:PORT/readyz first answered 200 "ok", and when at least EXPECTED pods were listed in kube-system with
every one of them Running (EXPECTED 0: not waited for, the ready figures again), in ms since launch, with the server's
CPU time then (user + sys of all its threads, and of its JIT compilers' at ready). Exit 1 after TIMEOUT_S seconds, or
once the server has exited.

One process, started with the server, so that at /readyz it looks at once: /readyz is polled every 5 ms on a fresh
connection; kube-system through one watch of its pods (resourceVersion=0: what exists, then each change as it is made).
Until 2026-12-07 bench/startup.sh ran a curl of the pod list every 20 ms once this had returned: each cost the server a
TLS handshake and a list in cold code, and on 2 busy cores a new process took 0.3-0.6 s to look at all
(docs/benchmarks/cluster.md, "From /readyz to kube-system Running"). The probe's socket leaves Nagle's algorithm on, as
Python's do (kubectl's and http.client's set TCP_NODELAY): until 2026-12-07's tenth round of docs/benchmarks/startup.md
each probe waited ~40 ms for the server's delayed ACK before its request went out, since the server sent its TLS 1.3
session tickets only with its answer; it now sends them after the handshake, as Go's server does. The server's certificate is not checked (a fresh
PKI); TOKEN is a bearer token its token file names.
"""
import http.client
import json
import os
import socket
import ssl
import sys
import threading
import time

port, timeout, server, launch, expected, token = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), \
    int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
deadline = time.monotonic() + timeout
context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
tick = os.sysconf("SC_CLK_TCK")


def since_launch():
    return int(time.time() * 1000) - launch


def cpu_ms(jit_only=False):
    """utime + stime of the server's threads (jit_only: of its C1 and C2 compiler threads still alive)."""
    if not jit_only:
        with open("/proc/%d/stat" % server) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 // tick
    total = 0
    for tid in os.listdir("/proc/%d/task" % server):
        try:
            with open("/proc/%d/task/%s/stat" % (server, tid)) as f:
                stat = f.read()
        except OSError:
            continue
        if stat[stat.index("(") + 1:].startswith(("C1 ", "C2 ")):
            fields = stat.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total * 1000 // tick


def ready():
    request = b"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as plain, context.wrap_socket(plain) as tls:
                tls.sendall(request)
                reply = b""
                while chunk := tls.recv(65536):
                    reply += chunk
            status, _, body = reply.partition(b"\r\n\r\n")
            if status.startswith(b"HTTP/1.1 200") and body == b"ok":
                return
        except OSError:
            pass  # not listening yet, or the connection was cut: try again
        time.sleep(0.005)


def kube_system_running():
    """Follows the watch until every pod runs (True); False when the server ends it or cannot be reached."""
    phases = {}
    try:
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=context,
                                           timeout=max(1.0, deadline - time.monotonic()))
        conn.request("GET", "/api/v1/namespaces/kube-system/pods?watch=1&resourceVersion=0",
                     headers={"Authorization": "Bearer " + token})
        reply = conn.getresponse()
        if reply.status != 200:
            return False
        while line := reply.readline():
            event = json.loads(line)
            if event["type"] == "ERROR":
                return False  # e.g. 410 Gone: start again from what exists
            name = event["object"]["metadata"]["name"]
            if event["type"] == "DELETED":
                phases.pop(name, None)
            elif event["type"] != "BOOKMARK":
                phases[name] = event["object"].get("status", {}).get("phase")
            if len(phases) >= expected and all(p == "Running" for p in phases.values()):
                return True
    except (OSError, http.client.HTTPException, ValueError):
        pass  # the connection was cut: try again
    return False


def guard():
    """Ends the wait once the deadline passes or the server exits, whatever the wait is doing."""
    while time.monotonic() < deadline:
        try:
            with open("/proc/%d/stat" % server) as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    break
        except OSError:
            break
        time.sleep(0.05)
    os._exit(1)


threading.Thread(target=guard, daemon=True).start()
ready()
figures = [since_launch(), cpu_ms(), cpu_ms(jit_only=True)]
if expected:
    while not kube_system_running():
        time.sleep(0.005)
    figures += [since_launch(), cpu_ms()]
else:
    figures += figures[:2]
print(*figures, flush=True)
os._exit(0)
