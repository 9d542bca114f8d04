#!/usr/bin/env bash
# harness.sh [KUBECONFIG] [-- HARNESS OPTIONS]: the load harness (server/src/test/java/kubefake/server/bench/LoadHarness.java)
# against an API server, writing docs/benchmarks/harness/DATE-COMMIT-SERVER.md (or $OUT).
#   bench/harness.sh                       starts a fresh kubefake.jar on a free 127.0.0.1 port and uses its admin.conf
#                                          (client certificate), then stops it
#   bench/harness.sh ~/.kube/config        any API server a kubeconfig's current context names (a real kube-apiserver +
#                                          etcd, a kind cluster, a running kubefake): the same phases, side by side
# Options after -- go to the harness: --phases create,get,list,patch,status,watch (also preload), --seconds 10,
# --concurrency 16, --rate N (operations/s in total, default unthrottled), --watches 100, --watch-all 10 (the rest
# watch one node's pods each), --watch-rate 100,
# --slow-watches K and --slow-stall S (K of the every-pod watches stop reading for S s; the server should close them and
# they relist), --preload 150000, --keep (leave the namespace load-<millis>). Needs the built jar (./mvnw -q -o package -DskipTests)
# and a JDK (javac compiles the harness against the jar, no Maven run needed).
set -u
cd "$(dirname "$0")/.."
JAR=${JAR:-server/target/kubefake.jar}
[ -f "$JAR" ] || { echo "build first: ./mvnw -q -o package -DskipTests" >&2; exit 1; }
KCFG=""
if [ $# -gt 0 ] && [ "$1" != "--" ]; then KCFG=$1; shift; fi
[ "${1:-}" = "--" ] && shift
tmp=$(mktemp -d)
. bench/kubefake-server.sh
trap 'stop_kubefake; rm -rf "$tmp"' EXIT
javac -nowarn -cp "$JAR" -d "$tmp/classes" server/src/test/java/kubefake/server/bench/LoadHarness.java || exit 1
if [ -z "$KCFG" ]; then
  # the server's GC pauses are logged, to tell them from the rest of a watch's delivery time
  KUBEFAKE_JAVA_OPTS="${KUBEFAKE_JAVA_OPTS:-} -Xlog:gc:file=$tmp/gc.log" start_kubefake "$JAR" data ${KUBEFAKE_FLAGS:-}
  KCFG=$tmp/data/admin.conf
  # /readyz can answer before admin.conf is written
  for _ in $(seq 600); do [ -s "$KCFG" ] && break; sleep 0.1; done
  SERVER_PID_OPTION="--server-pid $PID"
  WHAT=kubefake
else
  WHAT=${WHAT:-$(basename "$KCFG" .conf)}
fi
mkdir -p docs/benchmarks/harness
OUT=${OUT:-docs/benchmarks/harness/$(date -u +%Y%m%dT%H%M)-$(git rev-parse --short HEAD)-$WHAT.md}
java ${HARNESS_JAVA_OPTS:-} -cp "$JAR:$tmp/classes" kubefake.server.bench.LoadHarness --kubeconfig "$KCFG" --out "$tmp/out.md" ${SERVER_PID_OPTION:-} "$@" \
  || exit 1
{
  cat "$tmp/out.md"
  echo "- commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); $(java -version 2>&1 | head -1)"
  [ "$WHAT" = kubefake ] && echo "- kubefake's CPU over the run (user+sys): $(awk '{printf "%.1f s", ($14+$15)/100}' /proc/$PID/stat); RSS $(( $(ps -o rss= -p $PID) / 1024 )) MB"
  [ "$WHAT" = kubefake ] && echo "- kubefake's GC pauses over the run: $(grep -o 'Pause.* [0-9.]*ms$' "$tmp/gc.log" | awk '{ms=$NF; sub(/ms/,"",ms); n++; t+=ms; if (ms>m) m=ms} END {printf "%d, %.0f ms in all, longest %.1f ms", n, t, m}')"
} >"$OUT"
echo "results: $OUT"
