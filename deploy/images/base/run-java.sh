#!/bin/sh
# Stand-in for /opt/jboss/container/java/run/run-java.sh of the UBI 9 OpenJDK runtime images, which the services'
# Dockerfile.jvm use as ENTRYPOINT. It is installed only into the local Debian base (deploy/images/base.sh) so the
# same Dockerfile.jvm runs on both bases. It applies the same JVM defaults as the UBI script does for a plain
# JAVA_APP_JAR, under the same variable names: heap as a share of the container's memory limit (JAVA_MAX_MEM_RATIO,
# default 80 %), the collector from GC_CONTAINER_OPTIONS (default the parallel one) tuned to give memory back, exit on
# OutOfMemoryError; JAVA_OPTS replaces those defaults, JAVA_OPTS_APPEND is added after them. The manifests set
# JAVA_MAX_MEM_RATIO and (gateway) GC_CONTAINER_OPTIONS; JAVA_TOOL_OPTIONS would lose against these command-line
# flags, as on the UBI base. Not implemented (the services need none of it): agent options,
# JAVA_DEBUG, classpath mode (JAVA_MAIN_CLASS), the diagnostics switches, JAVA_INITIAL_MEM_RATIO.
set -eu

: "${JAVA_APP_JAR:?JAVA_APP_JAR must name the jar to run}"
ratio="${JAVA_MAX_MEM_RATIO:-80}"
gc="${GC_CONTAINER_OPTIONS:--XX:+UseParallelGC}"
defaults="-XX:MaxRAMPercentage=${ratio}.0 ${gc} -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:GCTimeRatio=4 -XX:AdaptiveSizePolicyWeight=90 -XX:+ExitOnOutOfMemoryError"
opts="${JAVA_OPTS:-$defaults} ${JAVA_OPTS_APPEND:-}"

cd "$(dirname "$JAVA_APP_JAR")"
echo "INFO exec java $opts -jar $JAVA_APP_JAR $*" >&2
# shellcheck disable=SC2086 # the options are a word list
exec java $opts -jar "$JAVA_APP_JAR" "$@"
