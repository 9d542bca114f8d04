#!/usr/bin/env bash
# What one registry write costs in process (kubefake.store.bench.WriteCost): the writing thread's CPU time and bytes
# allocated per ConfigMap create, pod create, pod status merge patch and core Event create, per round, then the medians of the second
# half of the rounds. Allocation is exact; CPU is thread time, so the machine's load changes it little (run it at
# real-time priority under the bench lock all the same: flock /work/bench.lock chrt -r 10 store/bench/write-cost.sh).
#   store/bench/write-cost.sh [rounds] [writes per round] [cm,pod,patch,event]   # defaults 12, 10000, all four
# (a subset of the writes, to profile one: JAVA_OPTS=-XX:StartFlightRecording=filename=w.jfr,settings=profile)
# Set MVN_OPTS=-o to build offline; SKIP_BUILD=1 to run the classes already built.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

if [ -z "${SKIP_BUILD:-}" ]; then
  ./mvnw -q ${MVN_OPTS:-} -pl store -am test-compile
fi
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
./mvnw -q ${MVN_OPTS:-} -pl store dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
classpath="store/target/test-classes:store/target/classes:$(cat "$cp_file")"
exec java ${JAVA_OPTS:-} -cp "$classpath" kubefake.store.bench.WriteCost "$@"
