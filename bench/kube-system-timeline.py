#!/usr/bin/env python3
"""kube-system-timeline.py [--restart] [--cmd CMD] [--dir DIR] [--up-args ARGS]: one start of `up`, and when each of kube-system's steps
arrived, in ms since launch (docs/benchmarks/cluster.md, "From /readyz to kube-system Running").

It launches CMD (default bin/kubefake) on a fresh data directory (with --restart: that directory started once and
stopped first), waits for /readyz, then watches, over HTTPS with a static token, kube-system's pods, the nodes and
every event, stamping each revision with its arrival time. Until the 15 pods are Running (or 60 s) it samples the
server's threads' CPU time every 20 ms from /proc. It prints, per node: seen, Ready; per pod: created, scheduled (a
nodeName), sandbox (an IP), each container started (and init containers terminated), phase Running, Ready; the events
by reason (first and last arrival, count); and the CPU per thread group between /readyz and the last pod Running.
Arrival times include the watch's own delivery; the watches start once /readyz answered (a list of what exists then,
stamped with that time). Talks only to 127.0.0.1.
"""
import argparse
import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

TOKEN = "timeline-token"
EXPECTED = int(os.environ.get("KUBE_SYSTEM_PODS", "15"))
TICK = os.sysconf("SC_CLK_TCK")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def tls():
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    c.check_hostname = False
    c.verify_mode = ssl.CERT_NONE
    return c


class Start:
    def __init__(self, cmd, data_dir, token_file, args):
        self.port = free_port()
        self.t0 = time.monotonic()
        self.log = open(data_dir + ".log", "w")
        self.proc = subprocess.Popen(cmd + ["up", "--data-dir", data_dir, "--port", str(self.port), "--bind-address",
                                            "127.0.0.1", "--advertise-address", "127.0.0.1", "--token-auth-file",
                                            token_file] + args, stdout=self.log, stderr=subprocess.STDOUT,
                                     env=dict(os.environ, JAVA_TOOL_OPTIONS=os.environ.get("JAVA_TOOL_OPTIONS", "")
                                              + " -Dorg.slf4j.simpleLogger.log.kubefake.startup=debug"))
        self.log_path = data_dir + ".log"
        self.lock = threading.Lock()
        self.first = {}      # key -> ms of first arrival
        self.events = {}     # reason -> [first, last, count]
        self.pods = {}       # name -> latest tree
        self.done = threading.Event()
        self.cpu = []        # (ms, {tid: (comm, ticks)})

    def ms(self):
        return int((time.monotonic() - self.t0) * 1000)

    def mark(self, key, at):
        if key not in self.first:
            self.first[key] = at

    def wait_ready(self, timeout=120):
        req = b"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        while self.ms() < timeout * 1000:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=5) as plain, \
                        tls().wrap_socket(plain) as s:
                    s.sendall(req)
                    reply = b""
                    while chunk := s.recv(65536):
                        reply += chunk
                status, _, body = reply.partition(b"\r\n\r\n")
                if status.startswith(b"HTTP/1.1 200") and body == b"ok":
                    return self.ms()
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise SystemExit("server exited")
            time.sleep(0.005)
        raise SystemExit("not ready")

    def watch(self, path, on_event):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=tls(), timeout=90)
        conn.request("GET", path, headers={"Authorization": "Bearer " + TOKEN})
        resp = conn.getresponse()
        while not self.done.is_set():
            line = resp.readline()
            if not line:
                return
            at = self.ms()
            e = json.loads(line)
            with self.lock:
                on_event(e["type"], e["object"], at)

    def on_pod(self, kind, pod, at):
        name = pod["metadata"]["name"]
        self.pods[name] = pod
        self.mark(("pod", name, "created"), at)
        if pod["spec"].get("nodeName"):
            self.mark(("pod", name, "scheduled"), at)
        st = pod.get("status", {})
        if st.get("podIP"):
            self.mark(("pod", name, "ip"), at)
        for c in st.get("initContainerStatuses", []) or []:
            if "terminated" in c.get("state", {}):
                self.mark(("pod", name, "init " + c["name"] + " done"), at)
        for c in st.get("containerStatuses", []) or []:
            if "running" in c.get("state", {}):
                self.mark(("pod", name, "started " + c["name"]), at)
        if st.get("phase") == "Running":
            self.mark(("pod", name, "Running"), at)
        for cond in st.get("conditions", []) or []:
            if cond["type"] == "Ready" and cond["status"] == "True":
                self.mark(("pod", name, "Ready"), at)
        running = [p for p in self.pods.values() if p.get("status", {}).get("phase") == "Running"]
        if len(self.pods) >= EXPECTED and len(running) >= len(self.pods):
            self.mark(("all", "Running"), at)
            self.done.set()

    def on_node(self, kind, node, at):
        name = node["metadata"]["name"]
        self.mark(("node", name, "seen"), at)
        for cond in node.get("status", {}).get("conditions", []) or []:
            if cond["type"] == "Ready" and cond["status"] == "True":
                self.mark(("node", name, "Ready"), at)

    def on_event(self, kind, ev, at):
        if kind != "ADDED":
            return
        key = ev.get("reason", "") + " (" + ev.get("involvedObject", {}).get("kind", "") + ")"
        e = self.events.setdefault(key, [at, at, 0])
        e[1] = at
        e[2] += 1

    def sample_cpu(self):
        while not self.done.is_set() and self.proc.poll() is None:
            at = self.ms()
            threads = {}
            try:
                for tid in os.listdir("/proc/%d/task" % self.proc.pid):
                    try:
                        with open("/proc/%d/task/%s/stat" % (self.proc.pid, tid)) as f:
                            s = f.read()
                        comm = s[s.index("(") + 1:s.rindex(")")]
                        fields = s[s.rindex(")") + 2:].split()
                        threads[tid] = (comm, int(fields[11]) + int(fields[12]))
                    except (OSError, ValueError):
                        pass
            except OSError:
                return
            self.cpu.append((at, threads))
            time.sleep(0.02)

    def stop(self):
        self.done.set()
        self.proc.terminate()
        self.proc.wait()
        self.log.close()


def group(comm):
    for prefix, name in (("C1 ", "JIT C1"), ("C2 ", "JIT C2"), ("GC", "GC"), ("G1", "GC"), ("cluster", "cluster pool"),
                         ("registry", "registry pool"), ("nioEventLoop", "netty"), ("epollEventLoop", "netty"),
                         ("event-loop", "netty"), ("main", "main"), ("VM Thread", "VM")):
        if comm.startswith(prefix):
            return name
    return comm.rstrip("0123456789-")


def run(cmd, data_dir, token_file, label, args):
    s = Start(cmd, data_dir, token_file, args)
    try:
        ready = s.wait_ready()
        sampler = threading.Thread(target=s.sample_cpu, daemon=True)
        sampler.start()
        for path, handler in (("/api/v1/namespaces/kube-system/pods?watch=1&resourceVersion=0", s.on_pod),
                              ("/api/v1/nodes?watch=1&resourceVersion=0", s.on_node),
                              ("/api/v1/events?watch=1&resourceVersion=0", s.on_event)):
            threading.Thread(target=s.watch, args=(path, handler), daemon=True).start()
        s.done.wait(60)
        time.sleep(0.05)
    finally:
        s.stop()
    print("== %s: /readyz %d ms; all %d kube-system pods Running %s ms" % (
        label, ready, EXPECTED, s.first.get(("all", "Running"), "not")))
    with open(s.log_path) as f:  # the server's phases: "... kubefake.startup - 812 ms (cpu 1530 ms, ...) [main] listening"
        for line in f:
            if "kubefake.startup - " in line:
                print("phase " + line.split("kubefake.startup - ", 1)[1].rstrip())
    nodes = sorted({k[1] for k in s.first if k[0] == "node"})
    for n in nodes:
        print("node %-8s seen %5s  Ready %5s" % (n, s.first.get(("node", n, "seen")), s.first.get(("node", n, "Ready"))))
    pods = sorted({k[1] for k in s.first if k[0] == "pod"}, key=lambda p: s.first[("pod", p, "created")])
    for p in pods:
        steps = sorted(((v, k[2]) for k, v in s.first.items() if k[0] == "pod" and k[1] == p))
        print("pod %-45s %s" % (p, "  ".join("%s %d" % (name, at) for at, name in steps)))
    for reason, (first, last, count) in sorted(s.events.items(), key=lambda e: e[1][0]):
        print("event %-38s %3d  first %5d  last %5d" % (reason, count, first, last))
    end = s.first.get(("all", "Running"))
    if s.cpu and end:
        a = s.cpu[0][1]
        b = next((t for at, t in s.cpu if at >= end), s.cpu[-1][1])
        by = {}
        for tid, (comm, ticks) in b.items():
            d = ticks - a.get(tid, (comm, 0))[1]
            if d:
                by[group(comm)] = by.get(group(comm), 0) + d
        total = sum(by.values())
        print("cpu from /readyz (%d ms) to all Running (%d ms): %d ms; %s" % (
            ready, end, total * 1000 // TICK,
            ", ".join("%s %d" % (g, t * 1000 // TICK) for g, t in sorted(by.items(), key=lambda x: -x[1]))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cmd", default="bin/kubefake")
    ap.add_argument("--dir")
    ap.add_argument("--restart", action="store_true", help="also time a restart of the same data directory")
    ap.add_argument("--up-args", default="", help="more arguments of `up`, e.g. '--durability none'")
    a = ap.parse_args()
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    tmp = tempfile.mkdtemp()
    try:
        token_file = os.path.join(tmp, "tokens.csv")
        with open(token_file, "w") as f:
            f.write(TOKEN + ',timeline,timeline-uid,"system:masters"\n')
        data_dir = a.dir or os.path.join(tmp, "data")
        run(a.cmd.split(), data_dir, token_file, "first start", a.up_args.split())
        if a.restart:
            run(a.cmd.split(), data_dir, token_file, "restart", a.up_args.split())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
