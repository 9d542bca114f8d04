#!/usr/bin/env bash
# watch-memory.sh [WATCHES]: the heap a fresh kubefake needs for WATCHES (default 10,000) open watches. Starts
# kubefake.jar on a free loopback port, measures the live heap after a full GC with no watch, opens the watches
# (bench/watches.py, one TLS connection each), measures again, creates one ConfigMap and checks that every watch
# receives it, and prints RESULT lines. Needs the built jar (./mvnw -q package -DskipTests), python3, curl and jcmd.
set -u
cd "$(dirname "$0")/.."
N=${1:-10000}
JAR=server/target/kubefake.jar
[ -f "$JAR" ] || { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 1; }
tmp=$(mktemp -d)
. bench/kubefake-server.sh
trap 'stop_kubefake; rm -rf "$tmp"' EXIT
start_kubefake "$JAR" data
pid=$PID
URL=https://127.0.0.1:$PORT
c() { curl -sk -H "Authorization: Bearer bench-token" -H 'Content-Type: application/json' "$@"; }

# the live heap: a full GC, then what G1 reports as used
heap_mb() {
  jcmd "$pid" GC.run >/dev/null
  jcmd "$pid" GC.heap_info | sed -nE 's/.* used ([0-9]+)K.*/\1/p' | head -1 | awk '{printf "%.1f", $1/1024}'
}
rss_mb() { echo $(( $(ps -o rss= -p "$pid") / 1024 )); }

NS=watch-$(date +%s)
c -X POST "$URL/api/v1/namespaces" -d '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"'$NS'"}}' -o /dev/null
before=$(heap_mb)
printf 'RESULT watches=0 heap_used_mb=%s rss_mb=%s\n' "$before" "$(rss_mb)"

coproc W { python3 bench/watches.py "$URL" bench-token "$NS" "$N"; }
read -r line <&"${W[0]}"
[ "${line%% *}" = OPEN ] || { echo "watches did not open: $line" >&2; exit 1; }
after=$(heap_mb)
printf 'RESULT watches=%s heap_used_mb=%s rss_mb=%s per_watch_kb=%s\n' "$N" "$after" "$(rss_mb)" \
  "$(awk -v a="$after" -v b="$before" -v n="$N" 'BEGIN{printf "%.1f", (a-b)*1024/n}')"
c -X POST "$URL/api/v1/namespaces/$NS/configmaps" -d '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"one"}}' -o /dev/null
echo event >&"${W[1]}"
read -r line <&"${W[0]}"
printf 'RESULT watches=%s received_event=%s\n' "$N" "${line#EVENTS }"
echo close >&"${W[1]}"
wait "$W_PID" 2>/dev/null
