#!/usr/bin/env bash
# Renders base and every overlay with `kubectl kustomize` (offline) and validates the output with
# validate/validate.mjs (Kubernetes API types + Tocsin's probe, resource and security rules).
# First proves the validator still rejects validate/fixtures/broken.yaml. Exits non-zero on any failure.
#
# Needs: kubectl (with kustomize, v1.27+), Node 20+ and npm (installs validate/node_modules with `npm ci`).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
validate_dir="$here/validate"

fail() { echo "check.sh: $*" >&2; exit 1; }

command -v kubectl >/dev/null || fail "kubectl not found"
command -v node >/dev/null || fail "node not found"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || fail "Node 20+ required (found $(node --version))"

# dependencies exactly as locked; reinstall when the lock file changed since the last install
if [ ! -f "$validate_dir/node_modules/.package-lock.json" ] \
   || [ "$validate_dir/package-lock.json" -nt "$validate_dir/node_modules/.package-lock.json" ]; then
  (cd "$validate_dir" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed"
fi

# 1. the validator must reject the broken fixture, for every rule it contains
echo "== self-test: validator must reject validate/fixtures/broken.yaml"
set +e
selftest="$(cd "$validate_dir" && node validate.mjs fixtures/broken.yaml)"
selftest_rc=$?
set -e
[ "$selftest_rc" -eq 1 ] || { echo "$selftest"; fail "validator accepted the broken fixture (exit $selftest_rc)"; }
for rule in schema no-secrets resources run-as-non-root read-only-root privilege-escalation capabilities \
            tmp-volume probe-path probe-port probe-missing reference data-volume netpol-peer; do
  grep -q "\[$rule\]" <<<"$selftest" || { echo "$selftest"; fail "validator did not report [$rule] on the broken fixture"; }
done
echo "ok: rejected with $(grep -c '\[' <<<"$selftest") findings"

# 2. render and validate base and every overlay
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
status=0
targets=(base)
for overlay in "$here"/overlays/*/; do
  targets+=("overlays/$(basename "$overlay")")
done
for target in "${targets[@]}"; do
  echo "== $target"
  rendered="$out/$(tr / - <<<"$target").yaml"
  if ! kubectl kustomize "$here/$target" >"$rendered"; then
    echo "FAIL: kubectl kustomize $target" >&2
    status=1
    continue
  fi
  if ! (cd "$out" && node "$validate_dir/validate.mjs" "$(basename "$rendered")"); then
    status=1
  fi
done

if [ "$status" -ne 0 ]; then
  fail "FAILED"
fi
echo "check.sh: all manifests valid"
