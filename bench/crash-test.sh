#!/usr/bin/env bash
# crash-test.sh [CYCLES] [CLIENTS]: kill -9 during sustained writes, CYCLES times (default 100), on one data directory.
# Each cycle starts kubefake (--durability=fsync) on the directory, lets CLIENTS (default 4) write ConfigMaps
# (creates, updates and deletes), kills the server with SIGKILL after a random 0.3-2.5 s, and on the next start
# checks that every acknowledged write is there: each ConfigMap whose create or update was answered is present with
# at least that resourceVersion's content (later unacknowledged writes may have landed too), each acknowledged delete
# is gone, and the revision never went back. Prints the counts; exits 1 on any loss. Needs the built jar, curl,
# python3. Talks only to 127.0.0.1.
set -u
cd "$(dirname "$0")/.."
CYCLES=${1:-100}
CLIENTS=${2:-4}
JAR=server/target/kubefake.jar
[ -f "$JAR" ] || { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 1; }
tmp=$(mktemp -d)
. bench/kubefake-server.sh
trap 'stop_kubefake; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

cat >"$tmp/client.py" <<'PY'
# client.py URL NS CLIENT ACKFILE: writes until the server goes away; one line per acknowledged write:
# "put NAME VALUE RV" or "delete NAME RV"; "try-delete NAME" before a delete is sent (it may land unanswered)
import http.client, json, random, ssl, sys
url, ns, client, ackfile = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
host, port = url.split("//")[1].split(":")
ctx = ssl._create_unverified_context()
conn = http.client.HTTPSConnection(host, int(port), context=ctx, timeout=10)
headers = {"Authorization": "Bearer bench-token", "Content-Type": "application/json", "Accept": "application/json"}
live = {}
with open(ackfile, "a") as ack:
    i = 0
    try:
        while True:
            i += 1
            r = random.random()
            if live and r < 0.2:
                name = random.choice(list(live))
                ack.write(f"try-delete {name}\n"); ack.flush()
                conn.request("DELETE", f"/api/v1/namespaces/{ns}/configmaps/{name}", headers=headers)
                resp = conn.getresponse(); body = json.loads(resp.read())
                if resp.status == 200:
                    del live[name]
                    ack.write(f"delete {name} {body['metadata']['resourceVersion']}\n"); ack.flush()
            elif live and r < 0.5:
                name = random.choice(list(live))
                value = f"{client}-{i}"
                cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"v": value}}
                conn.request("PUT", f"/api/v1/namespaces/{ns}/configmaps/{name}", body=json.dumps(cm), headers=headers)
                resp = conn.getresponse(); body = json.loads(resp.read())
                if resp.status == 200:
                    ack.write(f"put {name} {value} {body['metadata']['resourceVersion']}\n"); ack.flush()
            else:
                name = f"c{client}-{random.getrandbits(40):x}"
                value = f"{client}-{i}"
                cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"v": value}}
                conn.request("POST", f"/api/v1/namespaces/{ns}/configmaps", body=json.dumps(cm), headers=headers)
                resp = conn.getresponse(); body = json.loads(resp.read())
                if resp.status == 201:
                    live[name] = True
                    ack.write(f"put {name} {value} {body['metadata']['resourceVersion']}\n"); ack.flush()
    except Exception:
        pass  # the server was killed
PY

cat >"$tmp/check.py" <<'PY'
# check.py URL NS ACKFILE MAXRVFILE: compares the server's ConfigMaps with every acknowledged write
import http.client, json, ssl, sys
url, ns, ackfile, maxrvfile = sys.argv[1:5]
host, port = url.split("//")[1].split(":")
conn = http.client.HTTPSConnection(host, int(port), context=ssl._create_unverified_context(), timeout=30)
conn.request("GET", f"/api/v1/namespaces/{ns}/configmaps", headers={"Authorization": "Bearer bench-token"})
resp = conn.getresponse(); body = json.loads(resp.read())
have = {i["metadata"]["name"]: i for i in body["items"]}
revision = int(body["metadata"]["resourceVersion"])
expect = {}  # name -> (value, rv) or None when deleted
unanswered = set()  # a delete was sent after the last acknowledged write, and not answered
acks = 0
for line in open(ackfile):
    p = line.split()
    if not p: continue
    if p[0] == "try-delete":
        unanswered.add(p[1]); continue
    acks += 1
    unanswered.discard(p[1])
    if p[0] == "put": expect[p[1]] = (p[2], int(p[3]))
    elif p[0] == "delete": expect[p[1]] = None
lost = 0
for name, want in expect.items():
    got = have.get(name)
    if want is None:
        if got is not None: lost += 1; print(f"LOST delete of {name}")
    elif got is None:
        if name not in unanswered:
            lost += 1; print(f"LOST {name} (acknowledged at {want[1]})")
    elif int(got["metadata"]["resourceVersion"]) < want[1]:
        lost += 1; print(f"LOST update of {name}: has rv {got['metadata']['resourceVersion']} < acknowledged {want[1]}")
max_acked = max([w[1] for w in expect.values() if w] + [0])
previous = int(open(maxrvfile).read() or 0)
back = revision < max(max_acked, previous)
if back: print(f"REVISION WENT BACK: {revision} < {max(max_acked, previous)}")
open(maxrvfile, "w").write(str(revision))
print(f"acks={acks} objects={len(have)} lost={lost} revision={revision} went_back={int(back)}")
sys.exit(1 if lost or back else 0)
PY

NS=crash
echo 0 >"$tmp/maxrv"
: >"$tmp/acks"
total_acks=0; failures=0
for cycle in $(seq 1 "$CYCLES"); do
  start_kubefake "$JAR" data --durability=fsync --profile fast
  URL=https://127.0.0.1:$PORT
  if [ "$cycle" -gt 1 ]; then
    out=$(python3 "$tmp/check.py" "$URL" "$NS" "$tmp/acks" "$tmp/maxrv") || failures=$((failures + 1))
    echo "cycle $cycle: after restart: $out"
  else
    create_namespace "$NS"
  fi
  clients=()
  for c in $(seq 1 "$CLIENTS"); do
    python3 "$tmp/client.py" "$URL" "$NS" "$c" "$tmp/acks" &
    clients+=($!)
  done
  sleep "$(python3 -c 'import random; print(round(random.uniform(0.3, 2.5), 2))')"
  kill -9 "$PID"
  wait "${clients[@]}" 2>/dev/null
  wait "$PID" 2>/dev/null
  SERVER_PIDS=()
done
start_kubefake "$JAR" data --durability=fsync --profile fast
out=$(python3 "$tmp/check.py" "https://127.0.0.1:$PORT" "$NS" "$tmp/acks" "$tmp/maxrv") || failures=$((failures + 1))
echo "final: $out"
printf 'RESULT crash cycles=%s clients=%s acknowledged_writes=%s failed_checks=%s\n' "$CYCLES" "$CLIENTS" \
  "$(grep -vc '^try-' "$tmp/acks")" "$failures"
[ "$failures" -eq 0 ]
