#!/usr/bin/env bash
# Builds the JVM images of the three services from their src/main/docker/Dockerfile.jvm:
#   ${TOCSIN_REGISTRY}/tocsin/<service>:<version>     (<version> = the project version in the root pom.xml)
#
# Usage: deploy/images/build.sh [--base IMAGE] [--registry PREFIX] [--tag TAG] [--package] [--push] [SERVICE...]
#   --base IMAGE       the runtime base (build argument BASE_IMAGE); default: TOCSIN_BASE_IMAGE, else the
#                      Dockerfiles' own default (registry.access.redhat.com/ubi9/openjdk-17-runtime). Where no public
#                      registry is reachable, build a local base first: --base "$(deploy/images/base.sh)".
#   --registry PREFIX  registry/namespace prefix, e.g. 127.0.0.1:5000 or registry.example.com/team; default:
#                      TOCSIN_REGISTRY, else none (images are tocsin/<service>:<version>).
#   --tag TAG          default: TOCSIN_IMAGE_TAG, else the project version.
#   --package          package the services first even when their jars exist (after changing code).
#   --push             docker push each image after building it (needs a registry prefix).
#   SERVICE...         a subset of alert-ingest alert-gateway notification-relay (default: all three).
#
# Packages the services first (./mvnw -B -DskipTests package) when a quarkus-app is missing; otherwise the images take
# what is in <service>/target/quarkus-app, so after changing code pass --package (or rebuild the jars). Each build context is the
# module directory with a .dockerignore that lets only target/quarkus-app in, and the script refuses to build when the
# service's own jars contain private key material (images carry no secrets and no dev keys).
# Prints the image references, one per line, on stdout; progress goes to stderr.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

all_services=(alert-ingest alert-gateway notification-relay)
base="${TOCSIN_BASE_IMAGE:-}"
registry="${TOCSIN_REGISTRY:-}"
tag="${TOCSIN_IMAGE_TAG:-}"
push=no
package=no
services=()
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base="$2"; shift 2 ;;
    --base=*) base="${1#*=}"; shift ;;
    --registry) registry="$2"; shift 2 ;;
    --registry=*) registry="${1#*=}"; shift ;;
    --tag) tag="$2"; shift 2 ;;
    --tag=*) tag="${1#*=}"; shift ;;
    --push) push=yes; shift ;;
    --package) package=yes; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    alert-ingest|alert-gateway|notification-relay) services+=("$1"); shift ;;
    *) echo "build.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#services[@]} -gt 0 ] || services=("${all_services[@]}")
log() { echo "build.sh: $*" >&2; }

if [ -z "$tag" ]; then
  # the project's own <version>: the first one after the root pom's <artifactId>tocsin-parent</artifactId>
  tag="$(awk '/<artifactId>tocsin-parent<\/artifactId>/ { found = 1; next }
              found && /<version>/ { gsub(/.*<version>|<\/version>.*/, ""); print; exit }' pom.xml)"
  [ -n "$tag" ] || { log "cannot read the project version from pom.xml"; exit 1; }
fi
registry="${registry%/}"
prefix="${registry:+$registry/}tocsin"
if [ "$push" = yes ] && [ -z "$registry" ]; then
  log "--push needs a registry prefix (--registry or TOCSIN_REGISTRY)"; exit 2
fi

command -v docker >/dev/null || { log "docker is not installed"; exit 1; }
docker info >/dev/null 2>&1 || { log "no Docker engine answers (see deploy/images/README.md)"; exit 1; }

missing=()
for service in "${services[@]}"; do
  [ "$package" = no ] && [ -f "$service/target/quarkus-app/quarkus-run.jar" ] || missing+=("$service")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "packaging ${missing[*]}"
  modules="$(IFS=,; echo "${missing[*]}")"
  ./mvnw -B -q -DskipTests package -pl "$modules" -am >&2
fi

# No private keys in what goes into an image: the service's own jars (third-party jars under lib/ are not scanned). A key
# is a key file by name, or a PEM header followed by its base64 body; the bare header string (the FCM service-account
# parser strips it from keys it is given at run time) is not. grep -c reads to the end: an early exit (-q) would
# SIGPIPE unzip, and under pipefail a match would then read as no match.
key_material() {
  local files pem
  files="$(unzip -Z1 "$1" 2>/dev/null | grep -Eic '\.(pem|key|p12|pfx|jks)$' || true)"
  # -z: records end at NUL bytes, not at newlines, so the header and the body's first line are matched together
  pem="$(unzip -p "$1" 2>/dev/null | grep -Ezac -- '-----BEGIN [A-Z ]*PRIVATE KEY-----[[:space:]]+[A-Za-z0-9+/=]{48}' || true)"
  [ "${files:-0}" -gt 0 ] || [ "${pem:-0}" -gt 0 ]
}
for service in "${services[@]}"; do
  app="$service/target/quarkus-app"
  while IFS= read -r -d '' jar; do
    if key_material "$jar"; then
      log "$jar contains key material: refusing to build an image from it"; exit 1
    fi
  done < <(find "$app/app" "$app/lib/main" -name '*.jar' \( -path '*/app/*' -o -name 'dev.tocsin.*' \) -print0)
  if [ "$(find "$app" -type f \( -name '*.pem' -o -name '*.key' -o -name '*.p12' -o -name '*.jks' \) | grep -c . || true)" -gt 0 ]; then
    log "$app holds key files: refusing to build"; exit 1
  fi
done

build_args=()
[ -n "$base" ] && build_args+=(--build-arg "BASE_IMAGE=$base")
revision="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
# the engine here (Debian's docker.io) has no BuildKit; the Dockerfiles need nothing beyond the classic builder
export DOCKER_BUILDKIT="${DOCKER_BUILDKIT:-0}"

for service in "${services[@]}"; do
  image="$prefix/$service:$tag"
  start=$(date +%s)
  log "building $image${base:+ on $base}"
  docker build -q "${build_args[@]}" \
    --label "org.opencontainers.image.title=$service" \
    --label "org.opencontainers.image.version=$tag" \
    --label "org.opencontainers.image.revision=$revision" \
    --label "org.opencontainers.image.base.name=${base:-default}" \
    -f "$service/src/main/docker/Dockerfile.jvm" -t "$image" "$service" >/dev/null
  size="$(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}')"
  log "built $image ($size) in $(( $(date +%s) - start )) s"
  if [ "$push" = yes ]; then
    docker push -q "$image" >&2
  fi
  echo "$image"
done
