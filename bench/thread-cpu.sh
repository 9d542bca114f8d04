#!/usr/bin/env bash
# thread-cpu.sh JAR LOAD [UP FLAGS...]: where a server's CPU goes per request, by thread group. Starts JAR's `up` on a
# free loopback port, warms it with four 8 s runs of LOAD (cm1, cm16: the yardstick's ConfigMap creates on 1 or 16
# connections; pod1, pod16: its pod creates), then reads every thread's user + system time (/proc/PID/task/*/stat)
# around one more 8 s run and prints the µs per request of each thread group (names with digits folded to N, cut to
# the kernel's 15 characters: multiThreadIoEv is the event loops, cluster-N-worke the cluster's pool, cluster-N-soon
# the informers' timer, GC_Thread#N and GN_Refine#N the GC, CN_CompilerThre the JIT). Thread time is what the machine's
# load changes least; still run it under the bench lock: flock /tmp/bench.lock bench/thread-cpu.sh JAR cm1 --durability none
set -u
JAR=$(realpath "${1:?JAR}"); LOAD=${2:?LOAD}; shift 2
cd "$(dirname "$0")/.."
H=$(cd ../shared/bench && pwd)
tmp=$(mktemp -d)
. bench/kubefake-server.sh
trap 'stop_kubefake; rm -rf "$tmp"' EXIT
start_kubefake "$JAR" s "$@"
U=https://127.0.0.1:$PORT
NS=compare
create_namespace "$NS"
case $LOAD in cm1) K=configmaps C=1 T=1 ;; cm16) K=configmaps C=16 T=2 ;; pod1) K=pods C=1 T=1 ;; pod16) K=pods C=16 T=2 ;;
  *) echo "unknown load $LOAD" >&2; exit 2 ;; esac
load() { KIND=$K NS=$NS TOKEN=bench-token wrk -t$T -c$C -d8s -s "$H/create.lua" "$U"; }
snap() { # thread group, clock ticks
  for t in /proc/$PID/task/*; do
    echo "$(tr ' ' '_' < "$t/comm" 2>/dev/null | sed -E 's/[0-9]+/N/g') $(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}')"
  done | awk '{a[$1] += $2} END {for (k in a) print k, a[k]}' | sort
}
for i in 1 2 3 4; do load >/dev/null; done
snap >"$tmp/before"
result=$(load | grep RESULT)
snap >"$tmp/after"
n=$(echo "$result" | sed -E 's/.*requests=([0-9]+).*/\1/')
echo "$result loadavg=$(cut -d' ' -f1 /proc/loadavg)"
join "$tmp/before" "$tmp/after" | awk -v n="$n" -v hz="$(getconf CLK_TCK)" '
  {d = $3 - $2; total += d; if (d > 0) printf "%-28s %7.1f us/req\n", $1, d * 1e6 / hz / n}
  END {printf "%-28s %7.1f us/req\n", "TOTAL", total * 1e6 / hz / n}' | sort -k2 -n -r
