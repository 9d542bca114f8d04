#!/usr/bin/env bash
# [OLD_FLAGS=..] [NEW_FLAGS=..] [OLD_JAVA_OPTS=..] [NEW_JAVA_OPTS=..] [OLD_GROUPS=..] [NEW_GROUPS=..] [LOADS=..] compare.sh OLD.jar NEW.jar [ROUNDS] [SECONDS] (the FLAGS are extra `up` flags, the JAVA_OPTS extra JVM flags): two builds of kubefake under the same load, interleaved, for a machine
# whose other work makes one run's figures incomparable with another's. Starts both jars on free loopback ports, then
# WARMUP rounds (default 2, not counted: the JIT compiles the request path during the first ~10 s of load), then
# ROUNDS times (default 6), alternating which goes first, runs the shared yardstick's wrk loads for SECONDS each
# (default 4): GET of one pod on 16 connections, ConfigMap creates on 1 and on 16 connections (LOADS, default
# "get16 cm1 cm16"; pod1 and pod16 are pod creates, as the yardstick's, on 1 and 16 connections). Prints every run and the
# median of each load per jar. Besides requests/s it prints the server's CPU time per request (user + system time of the
# server process during the run, divided by the requests served): on a machine whose other work steals the cores,
# requests/s fall with the share the server gets, while its CPU time per request mostly does not. The CPU figure includes
# the cluster's background work during the run (controllers, kubelets), and the JIT compiling: jit_us_per_request is the
# compiler threads' share of it (large in the first rounds, and on a loaded machine, where the compilers get little CPU
# and finish late); cpu_us_per_request less jit_us_per_request is the serving's own cost. p99_ms: wrk's latency.
# Needs wrk, curl, jq; talks only to 127.0.0.1.
set -u
OLD=$(realpath "${1:?OLD.jar}"); NEW=$(realpath "${2:?NEW.jar}"); ROUNDS=${3:-6}; D=${4:-4}
cd "$(dirname "$0")/.."
H=$(cd ../shared/bench && pwd)
tmp=$(mktemp -d)
. bench/kubefake-server.sh
trap 'stop_kubefake; rm -rf "$tmp"' EXIT
c() { curl -sk -H "Authorization: Bearer bench-token" -H 'Content-Type: application/json' "$@"; }
declare -A URL SERVER
KUBEFAKE_JAVA_OPTS=${OLD_JAVA_OPTS:-${KUBEFAKE_JAVA_OPTS:-}} BENCH_GROUPS=${OLD_GROUPS:-${BENCH_GROUPS:-}} start_kubefake "$OLD" old ${OLD_FLAGS:-}
URL[old]=https://127.0.0.1:$PORT; SERVER[old]=$PID
KUBEFAKE_JAVA_OPTS=${NEW_JAVA_OPTS:-${KUBEFAKE_JAVA_OPTS:-}} BENCH_GROUPS=${NEW_GROUPS:-${BENCH_GROUPS:-}} start_kubefake "$NEW" new ${NEW_FLAGS:-}
URL[new]=https://127.0.0.1:$PORT; SERVER[new]=$PID
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system time, in clock ticks
jit_ticks() { # the same, of the JIT compiler threads only (their comm has a space: read the fields after the ")")
  local t sum=0
  for t in /proc/$1/task/*; do
    case $(cat "$t/comm" 2>/dev/null) in
      C1\ Compiler*|C2\ Compiler*) sum=$(( sum + $(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}') )) ;;
    esac
  done
  echo $sum
}
HZ=$(getconf CLK_TCK)
NS=compare
for which in old new; do
  c -X POST "${URL[$which]}/api/v1/namespaces" -d '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"'$NS'"}}' -o /dev/null
  c -X POST "${URL[$which]}/api/v1/namespaces/$NS/pods" -o /dev/null \
    -d '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"schedulerName":"bench-none","containers":[{"name":"c","image":"nginx"}]}}'
done
run() { # which load -> requests rps errors
  local u=${URL[$1]}
  case $2 in
    get16) TOKEN=bench-token wrk -t2 -c16 -d${D}s -s "$H/get.lua" "$u/api/v1/namespaces/$NS/pods/p" ;;
    cm1) KIND=configmaps NS=$NS TOKEN=bench-token wrk -t1 -c1 -d${D}s -s "$H/create.lua" "$u" ;;
    cm16) KIND=configmaps NS=$NS TOKEN=bench-token wrk -t2 -c16 -d${D}s -s "$H/create.lua" "$u" ;;
    pod1) KIND=pods NS=$NS TOKEN=bench-token wrk -t1 -c1 -d${D}s -s "$H/create.lua" "$u" ;;
    pod16) KIND=pods NS=$NS TOKEN=bench-token wrk -t2 -c16 -d${D}s -s "$H/create.lua" "$u" ;;
  esac | sed -nE 's/.*RESULT.* requests=([0-9]+).* rps=([0-9.]+).* p99_ms=([0-9.]+).*errors=([0-9]+).*/\1 \2 \4 \3/p'
}
# the cluster's background work with no request coming in (controllers, kubelets, timers), over 5 s each
for which in old new; do
  before=$(cpu_ticks "${SERVER[$which]}"); sleep 5
  echo "RESULT idle jar=$which cpu_ms_per_s=$(( ($(cpu_ticks "${SERVER[$which]}") - before) * 1000 / HZ / 5 ))"
done
for r in $(seq $((1 - ${WARMUP:-2})) "$ROUNDS"); do
  order="old new"; [ $((r % 2)) = 0 ] && order="new old"
  for load in ${LOADS:-get16 cm1 cm16}; do
    for which in $order; do
      before=$(cpu_ticks "${SERVER[$which]}"); jit_before=$(jit_ticks "${SERVER[$which]}")
      read -r requests rps errors p99 <<<"$(run "$which" "$load")"
      cpu_us=$(( ($(cpu_ticks "${SERVER[$which]}") - before) * 1000000 / HZ / (requests > 0 ? requests : 1) ))
      jit_us=$(( ($(jit_ticks "${SERVER[$which]}") - jit_before) * 1000000 / HZ / (requests > 0 ? requests : 1) ))
      [ "$r" -le 0 ] && { echo "WARMUP round=$r load=$load jar=$which rps=$rps"; continue; }
      echo "RUN round=$r load=$load jar=$which rps=$rps p99_ms=$p99 cpu_us_per_request=$cpu_us jit_us_per_request=$jit_us errors=$errors loadavg=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$tmp/runs"
    done
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for load in ${LOADS:-get16 cm1 cm16}; do
  for which in old new; do
    m=$(sed -nE "s/.*load=$load jar=$which rps=([0-9.]+).*/\1/p" "$tmp/runs" | median)
    cpu=$(sed -nE "s/.*load=$load jar=$which .*cpu_us_per_request=([0-9]+).*/\1/p" "$tmp/runs" | median)
    jit=$(sed -nE "s/.*load=$load jar=$which .*jit_us_per_request=([0-9]+).*/\1/p" "$tmp/runs" | median)
    p99=$(sed -nE "s/.*load=$load jar=$which .*p99_ms=([0-9.]+).*/\1/p" "$tmp/runs" | median)
    echo "RESULT load=$load jar=$which median_rps=$m median_p99_ms=$p99 median_cpu_us_per_request=$cpu median_jit_us_per_request=$jit"
  done
done
