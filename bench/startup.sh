#!/usr/bin/env bash
# startup.sh [RUNS]: process launch → /readyz "ok", for a first start (fresh data dir: PKI generated) and a
# restart (PKI reused), RUNS times each (default 5). Needs server/target/kubefake.jar (./mvnw -q package -DskipTests)
# and curl. Talks only to 127.0.0.1.
set -u
cd "$(dirname "$0")/.."
RUNS=${1:-5}
JAR=server/target/kubefake.jar
[ -f "$JAR" ] || { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 1; }
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
measure() { # data-dir → milliseconds to readyz
  local dir=$1 start end pid
  start=$(date +%s%N)
  java -jar "$JAR" up --data-dir "$dir" --port "$port" --bind-address 127.0.0.1 --advertise-address 127.0.0.1 >/dev/null 2>&1 &
  pid=$!
  until [ "$(curl -sk --max-time 1 "https://127.0.0.1:$port/readyz" 2>/dev/null)" = ok ]; do
    kill -0 $pid 2>/dev/null || { echo "server exited" >&2; return 1; }
    sleep 0.01
  done
  end=$(date +%s%N)
  kill $pid; wait $pid 2>/dev/null
  echo $(( (end - start) / 1000000 ))
}
summary() { sort -n | awk '{a[NR]=$1} END {printf "min %d ms, median %d ms, max %d ms (%d runs)\n", a[1], a[int((NR+1)/2)], a[NR], NR}'; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
first=(); restart=()
for i in $(seq 1 "$RUNS"); do
  first+=("$(measure "$tmp/fresh-$i")")
  restart+=("$(measure "$tmp/fresh-$i")")
done
printf 'RESULT first start (PKI generated): '; printf '%s\n' "${first[@]}" | summary
printf 'RESULT restart (PKI reused):       '; printf '%s\n' "${restart[@]}" | summary
