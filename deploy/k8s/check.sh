#!/usr/bin/env bash
# Renders base, every overlay and the prod variants with the optional components swapped in (external-stores,
# gateway-api) with `kubectl kustomize` (offline) and validates the output with validate/validate.mjs (Kubernetes API
# types, the Prometheus Operator and Gateway API schemas, Tocsin's probe, resource, security, reference, autoscaling,
# alerting-rule and PromQL rules) and validate/metrics.mjs (every tocsin_* name in rules, dashboard, HPA and the
# prometheus-adapter rule is a meter the Java sources register). First proves both still reject their broken
# fixtures. Runs `promtool check rules` as well when promtool is installed (Debian package `prometheus`).
# Exits non-zero on any failure.
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
            tmp-volume probe-path probe-port probe-missing reference data-volume netpol-peer image-tag hpa \
            hpa-replicas servicemonitor prometheusrule promql exposure token-log dashboard; do
  grep -q "\[$rule\]" <<<"$selftest" || { echo "$selftest"; fail "validator did not report [$rule] on the broken fixture"; }
done
echo "ok: rejected with $(grep -c '\[' <<<"$selftest") findings"

repo_root="$(cd "$here/../.." && pwd)"
echo "== self-test: metrics check must reject validate/fixtures/broken-metrics.yaml"
set +e
selftest="$(node "$validate_dir/metrics.mjs" "$repo_root" "$validate_dir/fixtures/broken-metrics.yaml")"
selftest_rc=$?
set -e
[ "$selftest_rc" -eq 1 ] || { echo "$selftest"; fail "metrics check accepted the broken fixture (exit $selftest_rc)"; }
for name in tocsin_relay_dead_letters tocsin_gateway_connectionz tocsin_gateway_delivery_latency_bucket; do
  grep -q "\[metric-name\] $name " <<<"$selftest" || { echo "$selftest"; fail "metrics check did not report $name"; }
done
echo "ok: rejected with $(grep -c 'metric-name' <<<"$selftest") unknown names"

# 2. render and validate base and every overlay
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
status=0
targets=(base)
for overlay in "$here"/overlays/*/; do
  targets+=("overlays/$(basename "$overlay")")
done

# prod with the optional components: rendered from a copy of deploy/k8s whose prod kustomization has the component
# lines swapped (the committed files stay as they are)
variant_tree="$out/tree"
mkdir -p "$variant_tree"
(cd "$here" && tar --exclude=./validate/node_modules -cf - .) | (cd "$variant_tree" && tar -xf -)
make_variant() { # name, sed expression applied to overlays/prod/kustomization.yaml
  local dir="$variant_tree/overlays/$1"
  cp -r "$variant_tree/overlays/prod" "$dir"
  sed -i -e "$2" "$dir/kustomization.yaml"
  cmp -s "$dir/kustomization.yaml" "$variant_tree/overlays/prod/kustomization.yaml" \
    && fail "variant $1: the sed expression changed nothing in overlays/prod/kustomization.yaml"
  targets+=("variant:$1")
}
make_variant prod+external-stores 's#^  - \.\./\.\./components/in-cluster-stores$#  - ../../components/external-stores#;\#^  - \.\./\.\./components/redis-sentinel$#d'
make_variant prod+gateway-api 's#^  \# - \.\./\.\./components/gateway-api$#  - ../../components/gateway-api#'

render() { # target -> stdout
  case "$1" in
    variant:*) kubectl kustomize "$variant_tree/overlays/${1#variant:}" ;;
    *) kubectl kustomize "$here/$1" ;;
  esac
}
count_kind() { grep -c "^kind: $2\$" "$1" || true; }

for target in "${targets[@]}"; do
  echo "== $target"
  rendered="$out/$(tr '/:+' '---' <<<"$target").yaml"
  if ! render "$target" >"$rendered"; then
    echo "FAIL: kubectl kustomize $target" >&2
    status=1
    continue
  fi
  if ! (cd "$out" && node "$validate_dir/validate.mjs" "$(basename "$rendered")"); then
    status=1
  fi
  if ! node "$validate_dir/metrics.mjs" "$repo_root" "$rendered"; then
    status=1
  fi
  # what the switches promise
  case "$target" in
    variant:prod+external-stores)
      if [ "$(count_kind "$rendered" StatefulSet)" -ne 0 ] || grep -q '^  name: mongodb-from-clients$' "$rendered"; then
        echo "FAIL: $target renders in-cluster data stores" >&2; status=1
      fi ;;
    variant:prod+gateway-api)
      if [ "$(count_kind "$rendered" Ingress)" -ne 0 ] || [ "$(count_kind "$rendered" HTTPRoute)" -ne 2 ]; then
        echo "FAIL: $target should render 2 HTTPRoutes and no Ingress" >&2; status=1
      fi ;;
    overlays/prod)
      if [ "$(count_kind "$rendered" HorizontalPodAutoscaler)" -ne 1 ] || [ "$(count_kind "$rendered" PrometheusRule)" -ne 1 ]; then
        echo "FAIL: $target should render the gateway HPA and the PrometheusRule" >&2; status=1
      fi
      # Redis with Sentinel: three members, and all three services asking the sentinels for the master
      if [ "$(grep -c '^  QUARKUS_REDIS_CLIENT_TYPE: sentinel$' "$rendered")" -ne 3 ] \
         || [ "$(awk '/^---$/{s=0; r=0} /^kind: StatefulSet$/{s=1} s&&/^  name: redis$/{r=1} r&&/^  replicas: /{print $2; exit}' "$rendered")" != 3 ]; then
        echo "FAIL: $target should render Redis as three Sentinel members and point the services at the sentinels" >&2; status=1
      fi
      if command -v promtool >/dev/null; then
        (cd "$validate_dir" && node --input-type=module -e '
          import yaml from "js-yaml"; import { readFileSync, writeFileSync } from "node:fs";
          const docs = yaml.loadAll(readFileSync(process.argv[1], "utf8")).filter((d) => d?.kind === "PrometheusRule");
          writeFileSync(process.argv[2], yaml.dump({ groups: docs.flatMap((d) => d.spec.groups) }));
        ' "$rendered" "$out/rules.yaml") || status=1
        if ! promtool check rules "$out/rules.yaml"; then status=1; fi
      else
        echo "promtool not found: PromQL checked by the validator's parser only (apt-get install prometheus adds promtool)"
      fi ;;
  esac
done

echo "== the Redis Sentinel set's start scripts (components/redis-sentinel/test-local.sh, on loopback)"
if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then
  "$here/components/redis-sentinel/test-local.sh" || status=1
else
  echo "redis-server not found: the Sentinel scripts are not exercised (apt-get install redis-server)"
fi

echo "== the prometheus-adapter rule (Helm values, not rendered)"
node "$validate_dir/metrics.mjs" "$repo_root" "$here/components/monitoring/prometheus-adapter-rules.yaml" || status=1

if [ "$status" -ne 0 ]; then
  fail "FAILED"
fi
echo "check.sh: all manifests valid"
