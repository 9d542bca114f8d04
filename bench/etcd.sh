#!/usr/bin/env bash
# etcd.sh [SECONDS]: the shared yardstick (../shared/bench/load.sh: creates of configmaps and pods from 1 and 16
# connections, GETs, LISTs) against kubefake on a real etcd (`up --etcd-servers`), etcd being Debian's etcd-server
# started here on loopback with a fresh data directory (fsync on, as etcd always does), then against the embedded store
# (--durability=fsync) on the same machine for comparison. Prints the yardstick's RESULT lines labelled with the store.
# Needs the built jar, etcd (apt-get install -y etcd-server), wrk, jq, curl. Talks only to 127.0.0.1.
set -u
cd "$(dirname "$0")/.."
D=${1:-10}
JAR=server/target/kubefake.jar
LOAD=../shared/bench/load.sh
[ -f "$JAR" ] || { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 1; }
command -v etcd >/dev/null || { echo "needs etcd: apt-get install -y etcd-server" >&2; exit 1; }
tmp=$(mktemp -d)
. bench/kubefake-server.sh
. bench/etcd-server.sh
ETCD_PID=
trap 'stop_kubefake; [ -n "$ETCD_PID" ] && kill "$ETCD_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
start_etcd bench
client=$ETCD_URL
echo "etcd $(etcd --version | head -1 | awk '{print $3}') at $client"

start_kubefake "$JAR" on-etcd --etcd-servers "$client" --profile fast
bash "$LOAD" "https://127.0.0.1:$PORT" bench-token "$D" | sed 's/^/store=etcd /'
kill "$PID"; wait "$PID" 2>/dev/null

start_kubefake "$JAR" embedded --durability=fsync --profile fast
bash "$LOAD" "https://127.0.0.1:$PORT" bench-token "$D" | sed 's/^/store=embedded-fsync /'
kill "$PID"; wait "$PID" 2>/dev/null
