#!/usr/bin/env bash
# Builds the server (jar and test classes) and runs the JMH benchmark of the connection pipeline (FrontEndBenchmark).
#   server/bench/run-jmh.sh                      # short run: -wi 3 -i 5 -f 1 -w 2s -r 2s
#   server/bench/run-jmh.sh -wi 5 -i 10 -f 2     # any JMH options replace the defaults
#   server/bench/run-jmh.sh --alternate [ROUNDS] # no JMH: both pipelines in turn, each one's best round of 100,000
# Set MVN_OPTS=-o to build offline. The classpath is the shaded jar (every runtime dependency), the test classes (the
# benchmark and what JMH generated for it) and JMH's own jars from the local Maven repository.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

./mvnw -q ${MVN_OPTS:-} package -DskipTests
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
jmh=$(sed -nE 's|.*<jmh.version>(.*)</jmh.version>.*|\1|p' pom.xml)
classpath="server/target/test-classes:server/target/kubefake.jar:$repo/org/openjdk/jmh/jmh-core/$jmh/jmh-core-$jmh.jar"
classpath="$classpath:$(ls "$repo"/net/sf/jopt-simple/jopt-simple/*/jopt-simple-*.jar | tail -1)"
classpath="$classpath:$(ls "$repo"/org/apache/commons/commons-math3/*/commons-math3-*.jar | tail -1)"

if [ "${1:-}" = --alternate ]; then  # both pipelines alternately, best round of each: for a machine shared with others
  shift
  exec java -cp "$classpath" kubefake.server.http.FrontEndBenchmark "$@"
fi
if [ "$#" -eq 0 ]; then
  set -- -wi 3 -i 5 -f 1 -w 2s -r 2s
fi
exec java -cp "$classpath" org.openjdk.jmh.Main "$@" 'kubefake\.server\.http\.FrontEndBenchmark'
