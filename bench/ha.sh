#!/usr/bin/env bash
# ha.sh [VERSION]: two API servers on one etcd, as processes (issue 15, acceptance 5). Starts Debian's etcd on
# loopback, `kubefake up` A on it, then B with A's PKI (a copy of A/pki), runs ../shared/check/lab-smoke.sh through A
# and through B, kills A with SIGKILL, measures how long until B holds the kube-controller-manager Lease, and runs the
# smoke through B again (nodes Ready, pods scheduled and Running, a Deployment scaled and healed: B's controllers,
# scheduler and kubelets now). Also checks that a ConfigMap written through B before the kill is unchanged after it.
# Needs the built jar, etcd (apt-get install -y etcd-server), curl, kubectl.VERSION. Talks only to 127.0.0.1.
set -u
cd "$(dirname "$0")/.."
v=${1:-1.33}
JAR=$PWD/server/target/kubefake.jar
SMOKE=../shared/check/lab-smoke.sh
[ -f "$JAR" ] || { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 1; }
command -v etcd >/dev/null || { echo "needs etcd: apt-get install -y etcd-server" >&2; exit 1; }
export PATH=/usr/lib/google-cloud-sdk/bin:$PATH
tmp=$(mktemp -d)
ETCD_PID= A= B=
trap 'for p in $A $B $ETCD_PID; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT
. bench/etcd-server.sh
start_etcd ha
client=$ETCD_URL

up() { # DIR: starts kubefake on the etcd, waits until it printed its admin.conf; the pid goes to $tmp/DIR.pid
  java -jar "$JAR" up --data-dir "$tmp/$1" --port 0 --bind-address 127.0.0.1 --advertise-address 127.0.0.1 \
    --etcd-servers "$client" --etcd-prefix /ha/registry >"$tmp/$1.log" 2>&1 &
  echo $! >"$tmp/$1.pid"
  until grep -q "admin kubeconfig" "$tmp/$1.log"; do kill -0 "$(cat "$tmp/$1.pid")" || { cat "$tmp/$1.log"; exit 1; }; sleep 0.2; done
}
up a; A=$(cat "$tmp/a.pid")
mkdir -p "$tmp/b" && cp -r "$tmp/a/pki" "$tmp/b/"
up b; B=$(cat "$tmp/b.pid")
K() { "kubectl.$v" --kubeconfig "$tmp/b/admin.conf" "$@"; }
holder() { K get lease kube-controller-manager -n kube-system -o jsonpath='{.spec.holderIdentity}'; }
leader=$(holder)
echo "A and B up; both Leases held by $leader"
K get lease -n kube-system
echo "--- smoke through A (the leader)"; bash "$SMOKE" "$tmp/a/admin.conf" "$v" | tail -1
echo "--- smoke through B (a follower)"; bash "$SMOKE" "$tmp/b/admin.conf" "$v" | tail -1
K create namespace keep >/dev/null && K create configmap before -n keep --from-literal=a=1 >/dev/null
rv=$(K get configmap before -n keep -o jsonpath='{.metadata.resourceVersion}')

kill -9 "$A"; wait "$A" 2>/dev/null; A=
t0=$(date +%s%N)
while [ "$(holder)" = "$leader" ]; do sleep 0.2; done
echo "--- A killed; B holds the kube-controller-manager Lease after $(( ($(date +%s%N) - t0) / 1000000 )) ms: $(holder)"
echo "--- smoke through B (the leader now)"; bash "$SMOKE" "$tmp/b/admin.conf" "$v" | tail -1
after=$(K get configmap before -n keep -o jsonpath='{.data.a} {.metadata.resourceVersion}')
[ "$after" = "1 $rv" ] && echo "configmap written before the kill: unchanged ($after)" || echo "FAIL configmap: $after, expected 1 $rv"
K get nodes
K get lease -n kube-system
