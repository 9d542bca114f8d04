#!/usr/bin/env bash
# idle-cpu.sh JAR [WAIT] [SECONDS] [UP FLAGS...]: what an idle cluster costs, by thread group. Starts JAR's `up` (the
# 4-node lab cluster unless the flags say otherwise) on a free loopback port, lets it settle for WAIT seconds after
# /readyz (default 60: the start's own work and most of the JIT's are over), then reads every thread's user + system
# time and its context switches (voluntary and not: each is a wake-up, or a preemption) over SECONDS (default 30) and
# prints ms of CPU per second and wake-ups per second of each thread group (names with digits folded to N, as in
# thread-cpu.sh: cluster-clock is the cluster's timer, cluster-N-worke its pool, multiThreadIoEv the event loops,
# CN_CompilerThre the JIT, VM_Periodic_Tas and GN_Service the JVM's own timers). No request is sent.
set -u
JAR=$(realpath "${1:?JAR}"); WAIT=${2:-60}; S=${3:-30}; shift $(( $# < 3 ? $# : 3 ))
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
. bench/kubefake-server.sh
trap 'stop_kubefake; rm -rf "$tmp"' EXIT
start_kubefake "$JAR" s "$@"
sleep "$WAIT"
snap() { # thread group, clock ticks, context switches
  for t in /proc/$PID/task/*; do
    echo "$(tr ' ' '_' < "$t/comm" 2>/dev/null | sed -E 's/[0-9]+/N/g') $(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}') $(awk '/ctxt_switches/ {n += $2} END {print n + 0}' "$t/status")"
  done | awk 'NF == 3 {c[$1] += $2; w[$1] += $3} END {for (k in c) print k, c[k], w[k]}' | sort
}
snap >"$tmp/before"
sleep "$S"
snap >"$tmp/after"
echo "RESULT idle jar=$JAR settled_s=$WAIT seconds=$S loadavg=$(cut -d' ' -f1 /proc/loadavg)"
join "$tmp/before" "$tmp/after" | awk -v s="$S" -v hz="$(getconf CLK_TCK)" '
  {c = $4 - $2; w = $5 - $3; tc += c; tw += w; if (c > 0 || w > 0) printf "%-18s %6.2f ms/s %7.1f wake-ups/s\n", $1, c * 1000 / hz / s, w / s}
  END {printf "%-18s %6.2f ms/s %7.1f wake-ups/s\n", "TOTAL", tc * 1000 / hz / s, tw / s}' | sort -k2 -n -r
