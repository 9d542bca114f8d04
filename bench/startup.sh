#!/usr/bin/env bash
# startup.sh [RUNS]: how long `up` takes to serve, for a first start (fresh data dir: PKI generated) and a restart
# (the same data dir: PKI reused), RUNS times each (default 5); figures in docs/benchmarks/startup.md.
# Per start it reports, from the process's launch:
#   ready   wall time to the first `ok` from /readyz, and the server's CPU time (user+sys, all its threads) then, and
#           the part of it spent by the JIT compilers' threads (C1, C2);
#   system  wall time until every kube-system pod is listed Running (KUBE_SYSTEM_PODS of them, default 15: the lab's
#           4 static pods, kube-proxy and calico-node on its 4 nodes, 2 coredns, calico-kube-controllers), and CPU
#           (KUBE_SYSTEM_PODS=0: not waited for, the start is stopped once ready; both figures are then the ready ones);
#           seen through a watch of kube-system's pods opened at /readyz by the process that polled it
#           (bench/start-wait.py; until 2026-12-07 a curl of the pod list every 20 ms, which cost the server a
#           TLS handshake each and saw the pods 0.3-0.7 s late);
#   listen  the server's own account (its debug log, logger kubefake.startup, turned on through JAVA_TOOL_OPTIONS) of
#           the JVM's uptime and its CPU time when it started listening: the start's cost without the poller's delays.
# CPU time is steadier than wall time on a shared machine: both are printed, with the load average before and after.
# BENCH_RT=1 runs the server and the /readyz poller at real-time priority (chrt -r 10: root or CAP_SYS_NICE), so that
# on a machine the other jobs load they get the two cores as on a quiet one and the wall times mean something; the
# kernel still leaves 5 % of each second to the others, and each start holds the cores only until it is measured.
# KUBEFAKE_CMD is the command started (default: java -jar server/target/kubefake.jar; e.g. KUBEFAKE_CMD=bin/kubefake
# for the launcher; it must exec the JVM so that its CPU time is the server's). Needs python3. Talks only to 127.0.0.1.
set -u
# the whole script, its clock readings too, at that priority (a poller or `date` left behind would wait for the cores)
[ "${BENCH_RT:-0}" = 1 ] && [ "$(chrt -p $$ | sed -n 's/.*policy: //p')" != SCHED_RR ] && exec chrt -r 10 "$(readlink -f "$0")" "$@"
cd "$(dirname "$0")/.."
RUNS=${1:-5}
EXPECTED=${KUBE_SYSTEM_PODS:-15}
read -r -a CMD <<<"${KUBEFAKE_CMD:-java -jar server/target/kubefake.jar}"
[ -f server/target/kubefake.jar ] || { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 1; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
echo 'bench-token,bench,bench-uid,"system:masters"' >"$tmp/tokens.csv"

now_ms() { echo $(($(date +%s%N) / 1000000)); }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

measure() { # data-dir → "ready_ms ready_cpu_ms system_ms system_cpu_ms listen_ms listen_cpu_ms ready_jit_cpu_ms"
  local dir=$1 port start ready ready_cpu ready_jit system system_cpu figures
  port=$(free_port)
  start=$(now_ms)
  JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:-} -Dorg.slf4j.simpleLogger.log.kubefake.startup=debug" \
    "${CMD[@]}" up --data-dir "$dir" --port "$port" --bind-address 127.0.0.1 --advertise-address 127.0.0.1 \
    --token-auth-file "$tmp/tokens.csv" >"$dir.log" 2>&1 &
  pid=$!
  # ready_ms ready_cpu_ms ready_jit_cpu_ms system_ms system_cpu_ms
  figures=$(python3 bench/start-wait.py "$port" 120 $pid "$start" "$EXPECTED" bench-token) ||
    { echo "not ready, or kube-system not Running, within 120 s: $(cat "$dir.log")" >&2; exit 1; }
  read -r ready ready_cpu ready_jit system system_cpu <<<"$figures"
  kill $pid
  wait $pid 2>/dev/null
  pid=
  # "[main] DEBUG kubefake.startup - 812 ms (cpu 1530 ms, this thread 640 ms) [main] listening"
  listen=$(sed -nE 's/.*kubefake.startup - ([0-9]+) ms \(cpu ([0-9]+) ms[,)].* listening$/\1 \2/p' "$dir.log")
  echo "$ready $ready_cpu $system $system_cpu ${listen:-0 0} $ready_jit"
}

# column N of the runs → "median M (min–max)"
summary() { cut -d' ' -f"$1" | sort -n | awk '{a[NR]=$1} END {printf "median %5d ms (%d–%d)", a[int((NR+1)/2)], a[1], a[NR]}'; }
report() { # label runs-file
  printf '%-9s ready:  wall %s  cpu %s  (JIT compilers %s)\n' "$1" "$(summary 1 <"$2")" "$(summary 2 <"$2")" \
    "$(summary 7 <"$2")"
  printf '%-9s system: wall %s  cpu %s\n' "" "$(summary 3 <"$2")" "$(summary 4 <"$2")"
  printf '%-9s listen: wall %s  cpu %s  (the server'"'"'s log)\n' "" "$(summary 5 <"$2")" "$(summary 6 <"$2")"
}

echo "command: ${CMD[*]} up ($(chrt -p $$ | sed -n 's/.*policy: //p')); $RUNS runs; $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$RUNS"); do
  measure "$tmp/data-$i" >>"$tmp/first"
  measure "$tmp/data-$i" >>"$tmp/restart"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
report "first" "$tmp/first"
report "restart" "$tmp/restart"
