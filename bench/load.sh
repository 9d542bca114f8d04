#!/usr/bin/env bash
# load.sh [SECONDS]: the API load yardstick (../shared/bench/load.sh) against a freshly started kubefake, plus a LIST
# of exactly 9,500 pods (the size the real API server's LIST figure was measured at). Needs the built jar
# (./mvnw -q package -DskipTests), wrk, curl and jq (apt-get install -y wrk curl jq). Talks only to 127.0.0.1.
set -u
cd "$(dirname "$0")/.."
D=${1:-8}
JAR=server/target/kubefake.jar
YARDSTICK=../shared/bench/load.sh
[ -f "$JAR" ] || { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 1; }
tmp=$(mktemp -d)
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
echo 'bench-token,bench,bench-uid,"system:masters"' >"$tmp/tokens.csv"
java ${KUBEFAKE_JAVA_OPTS:-} -jar "$JAR" up --data-dir "$tmp/data" --port "$port" --bind-address 127.0.0.1 \
  --advertise-address 127.0.0.1 --token-auth-file "$tmp/tokens.csv" >"$tmp/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
until [ "$(curl -sk --max-time 1 "https://127.0.0.1:$port/readyz")" = ok ]; do sleep 0.05; done
URL=https://127.0.0.1:$port

# first, on the fresh server: a LIST of 9,500 pods, created 16 at a time
c() { curl -sk -H "Authorization: Bearer bench-token" -H 'Content-Type: application/json' "$@"; }
NS=list-$(date +%s)
c -X POST "$URL/api/v1/namespaces" -d '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"'$NS'"}}' -o /dev/null
for i in $(seq 1 9500); do
  [ "$i" -gt 1 ] && echo next
  printf 'insecure\nheader = "Authorization: Bearer bench-token"\nheader = "Content-Type: application/json"\nurl = "%s/api/v1/namespaces/%s/pods"\ndata = "{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"Pod\\",\\"metadata\\":{\\"name\\":\\"l-%d\\",\\"labels\\":{\\"app\\":\\"bench\\"}},\\"spec\\":{\\"schedulerName\\":\\"bench-none\\",\\"containers\\":[{\\"name\\":\\"c\\",\\"image\\":\\"nginx\\"}]}}"\noutput = "/dev/null"\n' "$URL" "$NS" "$i"
done >"$tmp/creates.cfg"
curl -sk --no-progress-meter --parallel --parallel-max 16 -K "$tmp/creates.cfg"
total=$(c "$URL/api/v1/namespaces/$NS/pods" | jq '.items|length')
# curl's User-Agent gets indented JSON, as from the real server (its figure was measured so); a client library or
# kubectl gets the compact form, measured with a kubectl User-Agent
for i in 1 2 3; do
  printf 'RESULT list9500 pods=%s seconds=%s\n' "$total" "$(c -o /dev/null -w '%{time_total}' "$URL/api/v1/namespaces/$NS/pods")"
  printf 'RESULT list9500-compact pods=%s seconds=%s\n' "$total" \
    "$(c -A kubectl -o /dev/null -w '%{time_total}' "$URL/api/v1/namespaces/$NS/pods")"
done

# then the yardstick itself
"$YARDSTICK" "$URL" bench-token "$D"
printf 'RESULT rss_mb=%s\n' "$(( $(ps -o rss= -p $pid) / 1024 ))"
