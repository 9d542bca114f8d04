#!/usr/bin/env bash
# stream-leak.sh [EXECS] [FORWARDS]: opens and closes EXECS exec sessions (default 1000) and FORWARDS port-forward
# connections (default 1000) against a fresh kubefake, and prints the server's thread count and heap in use after a
# full GC before and after, so that a session or connection that leaves something behind shows (issue 13's
# acceptance 5). The sessions are the official Python client's (python3-kubernetes): exec over the channel WebSocket
# (`stream`, one connection each, a command that prints and exits), port-forward over the kubelet's WebSocket protocol
# (`portforward`, one connection each, an HTTP request to nginx answered and read). Needs jcmd (the JDK) and
# python3-kubernetes. Talks only to 127.0.0.1; stops the server at the end. Figures in docs/benchmarks/streams.md.
set -u
cd "$(dirname "$0")/.."
PYTHON=${KUBEFAKE_PYTHON:-/usr/bin/python3} # the python3 that has python3-kubernetes (Debian installs it for /usr/bin/python3)
EXECS=${1:-1000}
FORWARDS=${2:-1000}
[ -f server/target/kubefake.jar ] || { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 1; }
command -v jcmd >/dev/null || { echo "jcmd (from the JDK) is needed" >&2; exit 1; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT

java -jar server/target/kubefake.jar up --data-dir "$tmp/data" --port 0 --bind-address 127.0.0.1 \
  --advertise-address 127.0.0.1 --durability none --profile fast >"$tmp/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do grep -q "admin kubeconfig" "$tmp/server.log" && break; sleep 0.1; done
grep -q "admin kubeconfig" "$tmp/server.log" || { cat "$tmp/server.log" >&2; exit 1; }
conf="$tmp/data/admin.conf"

measure() { # → "threads heap_used_KiB" after a full GC
  jcmd "$pid" GC.run >/dev/null
  local threads heap
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
  heap=$(jcmd "$pid" GC.heap_info | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+')
  echo "$threads $heap"
}

cat >"$tmp/sessions.py" <<'EOF'
import sys, time
from kubernetes import client, config
from kubernetes.stream import portforward, stream

config.load_kube_config(config_file=sys.argv[1])
phase, count = sys.argv[2], int(sys.argv[3])
core = client.CoreV1Api()
if phase == "setup":
    core.create_namespaced_pod("default", client.V1Pod(metadata=client.V1ObjectMeta(name="leak"),
        spec=client.V1PodSpec(containers=[client.V1Container(name="nginx", image="nginx")])))
    while not any(c.type == "Ready" and c.status == "True"
                  for c in (core.read_namespaced_pod("leak", "default").status.conditions or [])):
        time.sleep(0.2)
elif phase == "exec":
    for i in range(count):
        out = stream(core.connect_get_namespaced_pod_exec, "leak", "default", command=["echo", "session", str(i)],
                     stderr=True, stdin=False, stdout=True, tty=False)
        assert out == "session %d\n" % i, out  # (a bare number would come back as an int: the client tries JSON first)
elif phase == "forward":
    for i in range(count):
        pf = portforward(core.connect_get_namespaced_pod_portforward, "leak", "default", ports="80")
        s = pf.socket(80)
        s.setblocking(True)
        s.settimeout(30)
        s.sendall(b"GET / HTTP/1.1\r\nHost: leak\r\n\r\n")
        reply = b""
        while b"</html>" not in reply:
            chunk = s.recv(65536)
            if not chunk:
                break
            reply += chunk
        assert reply.startswith(b"HTTP/1.1 200 OK"), reply[:100]
        s.close()
        pf.close()
EOF

"$PYTHON" "$tmp/sessions.py" "$conf" setup 0 || exit 1
# warm up: the first sessions load classes and fill caches, which is not a leak
"$PYTHON" "$tmp/sessions.py" "$conf" exec 20 && "$PYTHON" "$tmp/sessions.py" "$conf" forward 20 || exit 1
read -r t0 h0 < <(measure)
start=$(date +%s)
"$PYTHON" "$tmp/sessions.py" "$conf" exec "$EXECS" || exit 1
read -r t1 h1 < <(measure)
"$PYTHON" "$tmp/sessions.py" "$conf" forward "$FORWARDS" || exit 1
read -r t2 h2 < <(measure)
end=$(date +%s)
printf '%-34s %8s %14s\n' "" threads "heap used KiB"
printf '%-34s %8s %14s\n' "before" "$t0" "$h0"
printf '%-34s %8s %14s\n' "after $EXECS exec sessions" "$t1" "$h1"
printf '%-34s %8s %14s\n' "after $FORWARDS port-forward connections" "$t2" "$h2"
echo "($((end - start)) s; load average $(cut -d' ' -f1-3 /proc/loadavg))"
