#!/usr/bin/env bash
# durability.sh [SECONDS]: create throughput and latency of pods and configmaps (the yardstick's create.lua, 1 and 16
# connections) against a fresh kubefake with --durability=fsync (write-ahead log, group commit) and with
# --durability=none (memory only), the two one after the other on the same machine. Prints RESULT lines labelled with
# the durability, the fsyncs the log made and its size. Needs the built jar, wrk, curl (apt-get install -y wrk curl).
# Talks only to 127.0.0.1.
set -u
cd "$(dirname "$0")/.."
D=${1:-10}
JAR=server/target/kubefake.jar
LUA=../shared/bench/create.lua
[ -f "$JAR" ] || { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 1; }
tmp=$(mktemp -d)
. bench/kubefake-server.sh
trap 'stop_kubefake; rm -rf "$tmp"' EXIT
for durability in fsync none; do
  start_kubefake "$JAR" "$durability" --durability="$durability" --profile fast
  URL=https://127.0.0.1:$PORT
  NS=bench-$durability
  create_namespace "$NS"
  for kind in configmaps pods; do
    for conns in 1 16; do
      printf 'durability=%s conns=%s ' "$durability" "$conns"
      KIND=$kind NS=$NS TOKEN=bench-token wrk -t$(( conns > 1 ? 2 : 1 )) -c$conns -d${D}s -s "$LUA" "$URL" | grep RESULT
    done
  done
  if [ "$durability" = fsync ]; then
    printf 'RESULT durability=fsync wal_bytes=%s\n' "$(du -sb "$tmp/$durability/store/wal" | cut -f1)"
  fi
  kill "$PID"; wait "$PID" 2>/dev/null
done
