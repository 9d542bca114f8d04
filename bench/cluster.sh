#!/usr/bin/env bash
# cluster.sh [RUNS]: issue 12's figures of the whole simulated cluster (results in the README and
# docs/benchmarks/cluster.md). Not a test: it prints figures, it asserts nothing.
#   1. launch → every kube-system pod Running (the 4 static pods, kube-proxy and calico-node on each of the 4 nodes,
#      2 coredns, calico-kube-controllers: 15), with the real server (`up`, lab profile), RUNS times, polled over
#      HTTPS (bench/nodesim.sh's measurement);
#   2. pods brought from create to Running per second: 1,000 pods created one after the other in process, placed by
#      the scheduler on 20 workers, fast profile, everything `up` runs (front end, controllers, kubelets) running;
#   3. launch → 1,000 nodes Ready, then 30,000 pods (30 per node) created and Running, fast profile, and the heap it
#      takes after a full GC (the JVM's heap figures, the GC log's last full collection and the top of the class
#      histogram), not RSS;
#   4. (issue 19's node side) launch → 5,000 nodes Ready (each kubelet's own status written), kube-system's DaemonSets'
#      10,000 pods Running, then the idle cluster's CPU over 60 s (heartbeats only: Lease renewals every 10 s, node
#      status looked at every 10 s), in -Xmx2g. BIG_NODES=N changes the size; SKIP_BIG=1 skips it.
# Prints the machine, the commit and the load average first: the figures depend on what else the machine runs.
# Needs server/target/kubefake.jar and the server's and nodesim's test classes
# (./mvnw -q -o package -DskipTests && ./mvnw -q -o -pl server -am test-compile), curl and python3.
# Talks only to 127.0.0.1. PODS=N, WORKERS=N, NODES=N, PER_NODE=N change the sizes; SKIP_LAUNCH=1 skips the first.
set -u
cd "$(dirname "$0")/.."
RUNS=${1:-5}
JAR=server/target/kubefake.jar
CP="$JAR:server/target/test-classes"
[ -f "$JAR" ] || { echo "build first: ./mvnw -q -o package -DskipTests" >&2; exit 1; }
[ -f server/target/test-classes/kubefake/server/bench/ClusterBenchmark.class ] \
  || { echo "build first: ./mvnw -q -o -pl server -am test-compile" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "java: $(java -version 2>&1 | head -1)"
echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo ' (with uncommitted changes)')"
load() { echo "load average $1: $(cut -d' ' -f1-3 /proc/loadavg)"; }
load before

[ "${SKIP_LAUNCH:-}" ] || KUBE_SYSTEM_PODS=15 SKIP_IN_PROCESS=1 bench/nodesim.sh "$RUNS" | grep RESULT
load "after the launches"

java -cp "$CP" kubefake.server.bench.ClusterBenchmark pods "${PODS:-1000}" "${WORKERS:-20}" 2>"$tmp/pods.err" | grep RESULT \
  || { echo "pods benchmark failed:" >&2; tail -20 "$tmp/pods.err" >&2; }
load "after the pods"

java -Xmx4g -Xlog:gc:file="$tmp/gc.log" -cp "$CP" kubefake.server.bench.ClusterBenchmark cluster "${NODES:-1000}" "${PER_NODE:-30}" \
  2>"$tmp/cluster.err" | grep -A20 -E 'RESULT|HISTOGRAM' || { echo "cluster benchmark failed:" >&2; tail -20 "$tmp/cluster.err" >&2; }
echo "GC log, last full collection: $(grep -E 'Pause Full' "$tmp/gc.log" | tail -1 | sed 's/^\[[^]]*\]\[[^]]*\]\[[^]]*\] *//')"
load "after the 1,000-node cluster"

[ "${SKIP_BIG:-}" ] || java -Xmx2g -cp "$CP" kubefake.server.bench.ClusterBenchmark idle "${BIG_NODES:-5000}" 60 2>"$tmp/idle.err" | grep RESULT \
  || { echo "idle benchmark failed:" >&2; tail -20 "$tmp/idle.err" >&2; }
load after
