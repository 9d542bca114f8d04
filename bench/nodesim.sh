#!/usr/bin/env bash
# nodesim.sh [RUNS]: the simulated nodes' figures (results in the README and docs/benchmarks/nodesim.md).
#   1. launch → every kube-system pod Running, with the real server (`up`, lab profile), RUNS times: the process is
#      started and /api/v1/namespaces/kube-system/pods polled (a static token) until it lists KUBE_SYSTEM_PODS pods
#      (default 4, the static pods; 15 once the DaemonSet and Deployment controllers run kube-proxy, calico-node,
#      coredns and calico-kube-controllers), all Running;
#   2. pods brought from create to Running per second: 1,000 pods on 10 workers, fast profile, in process;
#   3. launch → 1,000 nodes with 30 pods each Running, fast profile, in process, and the heap it takes.
# Needs server/target/kubefake.jar and nodesim's test classes (./mvnw -q package -DskipTests; ./mvnw -q -pl nodesim
# -am test-compile), curl and python3. Talks only to 127.0.0.1. SKIP_IN_PROCESS=1 runs only the first.
set -u
cd "$(dirname "$0")/.."
RUNS=${1:-5}
EXPECTED=${KUBE_SYSTEM_PODS:-4}
JAR=server/target/kubefake.jar
[ -f "$JAR" ] || { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 1; }
[ -d nodesim/target/test-classes/kubefake/nodesim/bench ] || { echo "build first: ./mvnw -q -pl nodesim -am test-compile" >&2; exit 1; }
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo 'bench-token,bench,bench-uid,"system:masters"' > "$tmp/tokens.csv"

kube_system_running() { # → 0 when EXPECTED kube-system pods are listed, all Running
  curl -sk --max-time 1 -H "Authorization: Bearer bench-token" "https://127.0.0.1:$port/api/v1/namespaces/kube-system/pods" 2>/dev/null \
    | python3 -c '
import json, sys
try:
    pods = json.load(sys.stdin)["items"]
except Exception:
    sys.exit(1)
sys.exit(0 if len(pods) >= int(sys.argv[1]) and all(p.get("status", {}).get("phase") == "Running" for p in pods) else 1)' "$EXPECTED"
}
measure() { # data-dir → "launch→running ms, readyz→running ms"
  local dir=$1 start ready end pid
  start=$(date +%s%N)
  java -jar "$JAR" up --data-dir "$dir" --port "$port" --bind-address 127.0.0.1 --advertise-address 127.0.0.1 \
    --token-auth-file "$tmp/tokens.csv" >/dev/null 2>&1 &
  pid=$!
  until [ "$(curl -sk --max-time 1 "https://127.0.0.1:$port/readyz" 2>/dev/null)" = ok ]; do
    kill -0 $pid 2>/dev/null || { echo "server exited" >&2; return 1; }
    sleep 0.01
  done
  ready=$(date +%s%N)
  until kube_system_running; do
    kill -0 $pid 2>/dev/null || { echo "server exited" >&2; return 1; }
    sleep 0.01
  done
  end=$(date +%s%N)
  kill $pid; wait $pid 2>/dev/null
  echo "$(( (end - start) / 1000000 )) $(( (end - ready) / 1000000 ))"
}
summary() { sort -n | awk '{a[NR]=$1} END {printf "min %d ms, median %d ms, max %d ms (%d runs)\n", a[1], a[int((NR+1)/2)], a[NR], NR}'; }
runs=()
for i in $(seq 1 "$RUNS"); do runs+=("$(measure "$tmp/data-$i")"); done
printf 'RESULT launch → %s kube-system pods Running: ' "$EXPECTED"; printf '%s\n' "${runs[@]}" | cut -d' ' -f1 | summary
printf 'RESULT /readyz ok → %s kube-system pods Running: ' "$EXPECTED"; printf '%s\n' "${runs[@]}" | cut -d' ' -f2 | summary

CP="$JAR:nodesim/target/test-classes"
[ "${SKIP_IN_PROCESS:-}" ] || java -cp "$CP" kubefake.nodesim.bench.NodeSimBenchmark pods 1000 10 | grep RESULT
[ "${SKIP_IN_PROCESS:-}" ] || java -Xmx4g -cp "$CP" kubefake.nodesim.bench.NodeSimBenchmark cluster 1000 30 | grep RESULT
