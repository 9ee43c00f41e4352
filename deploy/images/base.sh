#!/usr/bin/env bash
# Builds the local runtime base for the services' JVM images: Debian 12 (bookworm) + OpenJDK 17 JRE headless, built
# with mmdebstrap from the Debian mirror and imported into the local Docker engine. It stands in for the public
# default base of the Dockerfiles (registry.access.redhat.com/ubi9/openjdk-17-runtime), which machines without a
# reachable public registry (this project's CI) cannot pull. Same contract as that base, so one Dockerfile.jvm fits
# both: non-root user 185 (jboss, group 185; the uid the Kubernetes manifests run as), /deployments owned by it, and
# /opt/jboss/container/java/run/run-java.sh (a small stand-in, see base/run-java.sh) as the launcher.
#
# Usage: deploy/images/base.sh [--refresh]
#   Prints the image reference on the last line of stdout (everything else goes to stderr), e.g.
#     base=$(deploy/images/base.sh) && deploy/images/build.sh --base "$base"
#
# Caching: the image is labelled with a hash of its inputs (this script, run-java.sh, suite, packages, mirror). When an
# image with the same hash exists, nothing is built. The root filesystem tarball is also kept in
# ${TOCSIN_IMAGE_CACHE:-~/.cache/tocsin/images}, so a machine whose Docker data is gone but whose home survives only
# re-imports it (seconds instead of minutes). The inputs do not include the mirror's state: run with --refresh (or
# TOCSIN_BASE_REFRESH=1) to pick up Debian security updates of the JRE and libraries.
#
# Environment: TOCSIN_BASE_IMAGE_NAME (default tocsin/base-jre), TOCSIN_DEBIAN_MIRROR (default http://deb.debian.org/debian),
# TOCSIN_DEBIAN_SECURITY_MIRROR (default http://deb.debian.org/debian-security). Needs root (or sudo) for
# mmdebstrap's root mode, mmdebstrap, and a running Docker engine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

refresh="${TOCSIN_BASE_REFRESH:-0}"
for arg in "$@"; do
  case "$arg" in
    --refresh) refresh=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "base.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

suite=bookworm
java_major=17
packages="openjdk-${java_major}-jre-headless,ca-certificates"
mirror="${TOCSIN_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security_mirror="${TOCSIN_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
name="${TOCSIN_BASE_IMAGE_NAME:-tocsin/base-jre}"
arch="$(dpkg --print-architecture)"
uid=185

inputs_hash="$( { cat "$0" "$here/base/run-java.sh"; echo "$suite $packages $mirror $security_mirror $arch $uid"; } \
  | sha256sum | cut -c1-16)"
image="$name:${java_major}-${suite}-${inputs_hash}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
log() { echo "base.sh: $*" >&2; }

command -v docker >/dev/null || { log "docker is not installed (apt-get install docker.io)"; exit 1; }
docker info >/dev/null 2>&1 || { log "no Docker engine answers (start dockerd; see deploy/images/README.md)"; exit 1; }

if [ "$refresh" != 1 ] && docker image inspect "$image" >/dev/null 2>&1; then
  log "$image is up to date (inputs $inputs_hash)"
  docker tag "$image" "$name:${java_major}-${suite}"
  echo "$image"
  exit 0
fi

cache="${TOCSIN_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tocsin/images}"
mkdir -p "$cache"
tarball="$cache/base-jre-${java_major}-${suite}-${inputs_hash}.tar"

if [ "$refresh" = 1 ] || [ ! -s "$tarball" ]; then
  command -v mmdebstrap >/dev/null || { log "mmdebstrap is not installed (apt-get install mmdebstrap)"; exit 1; }
  log "building the root filesystem with mmdebstrap ($suite, $packages) from $mirror; takes a few minutes"
  start=$(date +%s)
  # essential: dpkg, libc, coreutils, a shell and what the JRE needs; no apt, no package manager in the image.
  # Documentation, man pages and translations are left out (the copyright files stay); man1 must exist anyway:
  # update-alternatives places java.1.gz links there and fails without the directory.
  as_root mmdebstrap --quiet --variant=essential --mode=root --format=tar --arch="$arch" \
    --include="$packages" \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook="echo 'jboss:x:${uid}:${uid}:JBoss user:/home/jboss:/usr/sbin/nologin' >> \"\$1/etc/passwd\"" \
    --customize-hook="echo 'jboss:x:${uid}:' >> \"\$1/etc/group\"" \
    --customize-hook="mkdir -p \"\$1/home/jboss\" \"\$1/deployments\" \"\$1/opt/jboss/container/java/run\"" \
    --customize-hook="chown ${uid}:${uid} \"\$1/home/jboss\" \"\$1/deployments\"" \
    --customize-hook="install -m 0755 '$here/base/run-java.sh' \"\$1/opt/jboss/container/java/run/run-java.sh\"" \
    --customize-hook="rm -rf \"\$1\"/var/cache/debconf/*-old \"\$1\"/var/lib/dpkg/*-old \"\$1\"/var/log/*" \
    "$suite" "$tarball.partial" \
    "deb $mirror $suite main" \
    "deb $mirror $suite-updates main" \
    "deb $security_mirror $suite-security main"
  as_root chown "$(id -u):$(id -g)" "$tarball.partial"
  mv "$tarball.partial" "$tarball"
  log "root filesystem built in $(( $(date +%s) - start )) s: $(du -h "$tarball" | cut -f1)"
  # keep only this tarball
  find "$cache" -maxdepth 1 -name 'base-jre-*.tar' ! -name "$(basename "$tarball")" -delete
else
  log "re-importing the cached root filesystem $tarball"
fi

java_home="/usr/lib/jvm/java-${java_major}-openjdk-${arch}"
docker import \
  --change "USER ${uid}" \
  --change "WORKDIR /deployments" \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV JAVA_HOME=${java_home}" \
  --change "ENV LANG=C.UTF-8" \
  --change "LABEL dev.tocsin.base.inputs=${inputs_hash} dev.tocsin.base.suite=${suite} dev.tocsin.base.java=${java_major}" \
  --change 'CMD ["/bin/sh"]' \
  --message "tocsin base: Debian $suite + openjdk-${java_major}-jre-headless (deploy/images/base.sh)" \
  "$tarball" "$image" >/dev/null
docker tag "$image" "$name:${java_major}-${suite}"
log "imported $image ($(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"
echo "$image"
