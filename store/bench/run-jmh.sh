#!/usr/bin/env bash
# Builds the store's test classes and runs the JMH benchmark of the mvcc store.
#   store/bench/run-jmh.sh                      # short run: -wi 2 -i 3 -f 1 -w 1s -r 1s
#   store/bench/run-jmh.sh -wi 5 -i 10 -f 2     # any JMH options replace the defaults
#   store/bench/run-jmh.sh -rf json -rff out.json
#   BENCH='kubefake\.store\.bench\.WritePathBenchmark' store/bench/run-jmh.sh   # another benchmark class
# Set MVN_OPTS=-o to build offline.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

./mvnw -q ${MVN_OPTS:-} -pl store -am test-compile
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
./mvnw -q ${MVN_OPTS:-} -pl store dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
classpath="store/target/test-classes:store/target/classes:$(cat "$cp_file")"

if [ "$#" -eq 0 ]; then
  set -- -wi 2 -i 3 -f 1 -w 1s -r 1s
fi
exec java -cp "$classpath" org.openjdk.jmh.Main "$@" "${BENCH:-kubefake\.store\.bench\.MvccBenchmark}"
