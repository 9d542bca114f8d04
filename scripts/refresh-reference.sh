#!/usr/bin/env bash
# Copies the files of the Kubernetes 1.33 recording that the tests use into the repository, so that a clone tests
# alone: testkit/src/main/resources/reference/k8s-1.33, read through kubefake.testkit.Reference.
#
#   scripts/refresh-reference.sh [SOURCE]           replace the copy with the listed files of SOURCE
#   scripts/refresh-reference.sh --check [SOURCE]   exit 1 if the copy differs from them (CI runs this)
#
# SOURCE defaults to ../shared/reference/k8s-1.33 beside the repository. A test that needs another file of the
# recording adds its path (or a glob) to FILES below and runs this script; the test reads it with
# Reference.json("http/NAME.json") (or .yaml, .text, .http, .kubectlOut ...).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
target="$repo/testkit/src/main/resources/reference/k8s-1.33"

check=false
if [[ "${1:-}" == "--check" ]]; then
  check=true
  shift
fi
source_dir="${1:-$repo/../shared/reference/k8s-1.33}"

# The files the tests read, relative to the recording's root. Globs stand for families a test reads whole.
FILES=(
  # what the recording is and how it is laid out; also the marker kubefake.testkit.Reference finds the copy by
  README.md

  # recorded errors, compared field by field: store StatusExceptionTest, ValidatorsTest, server ReferenceHttpTest
  http/err-already-exists.json
  http/err-bad-json.json
  http/err-conflict.json
  http/err-invalid-name.json
  http/err-invalid-pod.json
  http/err-method-not-allowed.json
  http/err-no-namespace.json
  http/err-notfound.json
  http/err-strict-unknown-field.json
  http/err-too-old-rv.json
  http/err-unauthorized.json
  http/err-unknown-resource.json
  http/err-unsupported-media.json
  http/warn-unknown-field.head

  # discovery, version, OpenAPI root, pagination, metadata-only lists: server ReferenceHttpTest
  http/api-aggregated-v2.json
  http/apis-aggregated-v2.json
  http/api-v1.json
  http/apis-legacy.json
  http/apis-apps_v1.json
  http/apis-authentication.k8s.io_v1.json
  http/apis-authorization.k8s.io_v1.json
  http/apis-coordination.k8s.io_v1.json
  http/apis-discovery.k8s.io_v1.json
  http/apis-events.k8s.io_v1.json
  http/version.json
  http/openapi-v3-root.json
  http/list-limit.json
  http/partial-metadata-pods.json

  # every recorded head (Content-Length) and the JSON bodies it measures, byte for byte as sent to curl:
  # server encoding GoJsonIndentTest, e2e WireFormatE2ETest
  'http/*.head'
  'http/api-*.json'
  'http/apis-*.json'
  'http/warn-*.json'

  # every as=Table answer: server printers RecordedColumnDefinitionsTest, RecordedRowsTest, ClusterPrintersTest
  'http/table-*.json'

  # every object kubectl 1.33 printed with -o yaml: store RecordedDefaultsTest, NoFalsePositivesTest,
  # server printers RecordedRowsTest
  'kubectl/1.33/yaml-*.out'

  # kubeadm's static pods, defaulted as the real server defaults them: store RecordedDefaultsTest
  cluster-shape/kubeadm-manifests/etcd.yaml
  cluster-shape/kubeadm-manifests/kube-apiserver.yaml
  cluster-shape/kubeadm-manifests/kube-controller-manager.yaml
  cluster-shape/kubeadm-manifests/kube-scheduler.yaml

  # kubectl transcripts: server KubectlE2ETest
  kubectl/1.27/cluster-info.out
  kubectl/1.27/explain-pod-spec.out
  kubectl/1.29/cluster-info.out
  kubectl/1.29/explain-pod-spec.out
  kubectl/1.33/cluster-info.out
  kubectl/1.33/describe-ns.out
  kubectl/1.33/explain-pod-spec.out
  kubectl/1.33/scale-pod.err

  # kubectl explain on every version: server ExplainE2ETest
  kubectl/1.27/explain-deploy-strategy-rec.out
  kubectl/1.29/explain-deploy-strategy-rec.out
  kubectl/1.33/explain-deploy-strategy-rec.out
)

if [[ ! -d "$source_dir" ]]; then
  echo "refresh-reference: no recording at $source_dir (pass its directory as an argument)" >&2
  exit 1
fi
source_dir="$(cd "$source_dir" && pwd)"

# The listed files as they are in the source, globs expanded, sorted.
wanted=()
cd "$source_dir"
for pattern in "${FILES[@]}"; do
  # shellcheck disable=SC2206 # the glob is meant to expand here
  matches=($pattern)
  if [[ ! -f "${matches[0]}" ]]; then
    echo "refresh-reference: $pattern is not in $source_dir" >&2
    exit 1
  fi
  wanted+=("${matches[@]}")
done
mapfile -t wanted < <(printf '%s\n' "${wanted[@]}" | sort -u)

if $check; then
  if [[ ! -d "$target" ]]; then
    echo "refresh-reference: there is no copy at $target; run scripts/refresh-reference.sh" >&2
    exit 1
  fi
  have="$(cd "$target" 2>/dev/null && find . -type f | sed 's|^\./||' | sort || true)"
  if ! diff <(printf '%s\n' "${wanted[@]}") <(printf '%s\n' "$have") >/dev/null; then
    echo "refresh-reference: the files in $target are not the listed ones; run scripts/refresh-reference.sh" >&2
    diff <(printf '%s\n' "${wanted[@]}") <(printf '%s\n' "$have") >&2 || true
    exit 1
  fi
  for f in "${wanted[@]}"; do
    if ! cmp -s "$f" "$target/$f"; then
      echo "refresh-reference: $f differs from $source_dir; run scripts/refresh-reference.sh" >&2
      exit 1
    fi
  done
  echo "refresh-reference: the copy matches $source_dir (${#wanted[@]} files)"
  exit 0
fi

rm -rf "$target"
for f in "${wanted[@]}"; do
  install -D -m 0644 "$f" "$target/$f"
done
echo "refresh-reference: copied ${#wanted[@]} files ($(du -sh "$target" | cut -f1)) from $source_dir to ${target#"$repo"/}"
