#!/usr/bin/env bash
# heap-census.sh JAR OUT [UP FLAGS...]: what each created object leaves in a server's heap. Starts JAR's `up` on a free
# loopback port, takes `jmap -histo:live` (a full GC: only what is retained), runs one 8 s load of the yardstick's
# creates on 16 connections (KIND=configmaps, the default, or pods), takes it again, and prints the live heap's growth
# by class divided by the objects stored (the histograms stay in OUT.before and OUT.after). Objects and bytes per
# stored object are what every young collection copies while the store grows; the load barely changes them (the
# count of objects stored does a little: run the jars compared in the same minutes). Run it under the bench lock.
set -u
JAR=$(realpath "${1:?JAR}"); OUT=$(realpath -m "${2:?OUT}"); shift 2; KIND=${KIND:-configmaps}
cd "$(dirname "$0")/.."
H=$(cd ../shared/bench && pwd)
tmp=$(mktemp -d)
. bench/kubefake-server.sh
trap 'stop_kubefake; rm -rf "$tmp"' EXIT
start_kubefake "$JAR" s "$@"
U=https://127.0.0.1:$PORT
create_namespace compare
sleep 5
jmap -histo:live "$PID" >"$OUT.before"
KIND=$KIND NS=compare TOKEN=bench-token wrk -t2 -c16 -d8s -s "$H/create.lua" "$U" | grep RESULT
sleep 3
jmap -histo:live "$PID" >"$OUT.after"
n=$(curl -sk -H "Authorization: Bearer bench-token" "$U/api/v1/namespaces/compare/$KIND?limit=1" \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["metadata"].get("remainingItemCount",0)+len(d["items"]))')
echo "$KIND stored: $n"
python3 - "$OUT.before" "$OUT.after" "$n" <<'PY'
import re, sys
def histogram(path):
    out = {}
    for line in open(path):
        m = re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)', line)
        if m: out[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return out
before, after, n = histogram(sys.argv[1]), histogram(sys.argv[2]), int(sys.argv[3])
rows = [(c - before.get(k, (0, 0))[0], b - before.get(k, (0, 0))[1], k) for k, (c, b) in after.items()]
print(f"per stored object: {sum(r[0] for r in rows) / n:.1f} objects, {sum(r[1] for r in rows) / n:.0f} bytes")
for c, b, k in sorted(rows, key=lambda r: -r[1])[:25]: print(f"{c / n:6.2f} {b / n:7.0f} {k}")
PY
