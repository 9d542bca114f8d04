#!/usr/bin/env bash
# fuzz-http.sh [REQUESTS] [SEED] [THREADS]: sends malformed HTTP requests (default 20,000) to a freshly started
# kubefake and prints the status histogram, every 500 with its request, and whether the server is still healthy.
# Exit status 1 when kubefake failed: a 5xx that is not the real server's own (a 500 InternalError, a reason-less 500
# outside HttpFuzzer.REAL_SERVER_500S, whose cases are pinned in tests; Go's 505 for a request line that is not HTTP/1.x
# is right), a request left without an answer, a connection answered "Connection: close" that stays open, an unhealthy
# end.
# Needs the built jar and test classes (./mvnw -q -o package -DskipTests). Talks only to 127.0.0.1.
set -u
cd "$(dirname "$0")/.."
N=${1:-20000}
SEED=${2:-11}
THREADS=${3:-4}
JAR=server/target/kubefake.jar
CLASSES=server/target/test-classes
[ -f "$JAR" ] && [ -d "$CLASSES/kubefake/server/fuzz" ] || { echo "build first: ./mvnw -q -o package -DskipTests" >&2; exit 2; }
tmp=$(mktemp -d)
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
echo 'fuzz-token,fuzz,fuzz-uid,"system:masters"' >"$tmp/tokens.csv"
java ${KUBEFAKE_JAVA_OPTS:-} -jar "$JAR" up --data-dir "$tmp/data" --port "$port" --bind-address 127.0.0.1 \
  --advertise-address 127.0.0.1 --token-auth-file "$tmp/tokens.csv" >"$tmp/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
until [ "$(curl -sk --max-time 1 "https://127.0.0.1:$port/readyz")" = ok ]; do
  kill -0 $pid 2>/dev/null || { cat "$tmp/server.log" >&2; exit 2; }
  sleep 0.1
done
java -cp "$JAR:$CLASSES" kubefake.server.fuzz.HttpFuzzer "https://127.0.0.1:$port" fuzz-token "$N" "$SEED" "$THREADS"
rc=$?
printf 'server log: %s lines, %s stack traces\n' "$(wc -l <"$tmp/server.log")" "$(grep -c '^\s*at ' "$tmp/server.log")"
exit $rc
