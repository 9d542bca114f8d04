#!/usr/bin/env bash
# bench/e2e-on-etcd.sh [TEST_PATTERN]
# Runs the end-to-end tests (default: all of kubefake.server.e2e) with every test cluster on etcd instead of the
# embedded store (issue 15, acceptance 4): the testkit starts one Debian etcd (etcd-server) for the test JVM and each
# cluster keeps its keys under a prefix of its own (TestCluster.onLoopback). The full test run covers a representative
# part of them on etcd (server/pom.xml, profile e2e-on-etcd); this covers all. Prints each class's result and the
# totals; exits non-zero when a test failed. Takes a while (about as long as the e2e package on the embedded store, or
# more on a loaded machine): run it niced.
set -euo pipefail
cd "$(dirname "$0")/.."
pattern=${1:-kubefake.server.e2e.**}
export PATH=/usr/lib/google-cloud-sdk/bin:$PATH
export KUBEFAKE_ETCD_REQUIRED=1
start=$SECONDS
status=0
mkdir -p server/target
./mvnw -B -o -pl server -am test -Dtest="$pattern" -Dkubefake.test.backend=etcd -Dsurefire.failIfNoSpecifiedTests=false \
  > server/target/e2e-on-etcd.log 2>&1 || status=$?
grep -E '^\[(INFO|ERROR|WARNING)\] Tests run: .* -- in ' server/target/e2e-on-etcd.log | sed 's/^\[[A-Z]*\] //' || true
grep -E '^\[(INFO|ERROR|WARNING)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' server/target/e2e-on-etcd.log \
  | tail -1 | sed 's/^\[[A-Z]*\] /total: /' || true
echo "on etcd, in $((SECONDS - start)) s (log: server/target/e2e-on-etcd.log); maven exit status $status"
exit $status
