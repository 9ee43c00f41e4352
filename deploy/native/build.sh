#!/usr/bin/env bash
# Builds the native executables of the three services, <module>/target/<module>-<version>-runner
# (docs/operations.md, "Native images"). The native-image it uses, first found:
#   --container             Quarkus's container build with Mandrel's builder image (Docker or Podman; the
#                           production artifact: fully static JDK libraries, Linux x86-64)
#   $GRAALVM_HOME, $JAVA_HOME or the PATH with a native-image: that GraalVM or Mandrel (Java 17+)
#   otherwise, where the Temurin 25 JDK is installed ($TEMURIN, default /usr/lib/jvm/temurin-25-jdk-amd64): the
#                           experimental stand-in in deploy/native/standin (see its README for what it does not prove),
#                           assembled once in $TOCSIN_GRAALVM_CACHE (default ~/.cache/tocsin-graalvm)
# TOCSIN_NATIVE_MODULES=alert-gateway builds only that service; other arguments go to Maven. About five minutes and
# 2.4 GB of builder memory per service on two cores; the services are built one after the other.
set -euo pipefail
cd "$(dirname "$0")/../.."

maven_args=(-B package -Pnative -pl "${TOCSIN_NATIVE_MODULES:-alert-ingest,alert-gateway,notification-relay}" -am -DskipTests)
if [ "${1:-}" = --container ]; then
  shift
  maven_args+=(-Dquarkus.native.container-build=true)
  echo "native-image: Quarkus's container build (Mandrel builder image)"
else
  if [ -n "${GRAALVM_HOME:-}" ] && [ -x "$GRAALVM_HOME/bin/native-image" ]; then
    :
  elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/native-image" ]; then
    export GRAALVM_HOME="$JAVA_HOME"
  elif command -v native-image >/dev/null 2>&1; then
    GRAALVM_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v native-image)")")")"
    export GRAALVM_HOME
  else
    temurin="${TEMURIN:-/usr/lib/jvm/temurin-25-jdk-amd64}"
    if [ ! -x "$temurin/bin/java" ]; then
      echo "No native-image found (GRAALVM_HOME, JAVA_HOME, PATH) and no Temurin 25 JDK at $temurin for the" \
        "stand-in. Install GraalVM or Mandrel for Java 17+ and set GRAALVM_HOME, or run with --container." >&2
      exit 1
    fi
    standin="deploy/native/standin"
    cache="${TOCSIN_GRAALVM_CACHE:-$HOME/.cache/tocsin-graalvm}"
    # Assembled again when the stand-in's sources or the JDK change.
    stamp="$( (cd "$standin" && find . -type f -print0 | sort -z | xargs -0 sha256sum; cat "$temurin/release") \
      | sha256sum | cut -c1-16)"
    if [ "$(cat "$cache/.tocsin-standin" 2>/dev/null || true)" != "$stamp" ]; then
      echo "native-image: assembling the stand-in in $cache (about a minute, once)"
      mkdir -p "$(dirname "$cache")"
      MVN="$PWD/mvnw" TEMURIN="$temurin" "$standin/setup.sh" "$cache" >/dev/null
      echo "$stamp" >"$cache/.tocsin-standin"
    fi
    export GRAALVM_HOME="$cache" NI_QUIET="${NI_QUIET:-1}"
    echo "native-image: the experimental stand-in ($standin/README.md); not the production artifact"
  fi
  maven_args+=("-Dquarkus.native.native-image-xmx=${TOCSIN_NATIVE_XMX:-5g}")
  echo "native-image: GRAALVM_HOME=$GRAALVM_HOME"
fi

./mvnw "${maven_args[@]}" "$@"
ls -l ./*/target/*-runner 2>/dev/null || true
