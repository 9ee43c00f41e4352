#!/usr/bin/env sh
# Runs the whole of Tocsin on this machine: embedded MongoDB and Redis (or TOCSIN_MONGODB_URI /
# TOCSIN_REDIS_URI), a dev key pair generated for this run, and the three services. Builds them first when
# the packaged jars are missing or --build is given. Needs only a JDK 17+.
set -eu
cd "$(dirname "$0")"
if [ "${1:-}" = "--build" ] || [ ! -f local-infra/target/local-infra.jar ] \
    || [ ! -f alert-ingest/target/quarkus-app/quarkus-run.jar ] \
    || [ ! -f alert-gateway/target/quarkus-app/quarkus-run.jar ] \
    || [ ! -f notification-relay/target/quarkus-app/quarkus-run.jar ]; then
  echo "Building Tocsin (tests skipped; ./mvnw verify runs them) ..."
  ./mvnw -B -q -DskipTests package
fi
[ "${1:-}" = "--build" ] && shift
exec java -jar local-infra/target/local-infra.jar "$@"
