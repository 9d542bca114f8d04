#!/usr/bin/env bash
# warm-start.sh [STARTS]: how long the JUnit extension's cluster takes to start in a JVM that has started one before
# (the first start is the cold one), and how long a reset between tests takes (WarmStartBenchmark).
# Set MVN_OPTS=-o to build offline. Talks only to 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q ${MVN_OPTS:-} -pl junit -am test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
  -Dmdep.includeScope=test
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "junit/target/test-classes:junit/target/classes:$(cat junit/target/classpath.txt)" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=error kubefake.junit.WarmStartBenchmark "${1:-10}"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
