#!/usr/bin/env sh
# Runs the whole of Tocsin on this machine: embedded MongoDB and Redis (or TOCSIN_MONGODB_URI /
# TOCSIN_REDIS_URI), a dev key pair generated for this run, and the three services. Builds them first when
# the packaged jars are missing or --build is given. Needs only a JDK 17+.
# TOCSIN_NATIVE=true runs the services' native executables instead (built by deploy/native/build.sh).
set -eu
cd "$(dirname "$0")"
if [ "${TOCSIN_NATIVE:-false}" = true ]; then
  if ! ls alert-ingest/target/alert-ingest-*-runner alert-gateway/target/alert-gateway-*-runner \
      notification-relay/target/notification-relay-*-runner >/dev/null 2>&1; then
    echo "TOCSIN_NATIVE=true: the native executables are missing; build them with deploy/native/build.sh" >&2
    exit 1
  fi
  if [ ! -f local-infra/target/local-infra.jar ]; then
    ./mvnw -B -q -DskipTests package -pl local-infra -am
  fi
elif [ "${1:-}" = "--build" ] || [ ! -f local-infra/target/local-infra.jar ] \
    || [ ! -f alert-ingest/target/quarkus-app/quarkus-run.jar ] \
    || [ ! -f alert-gateway/target/quarkus-app/quarkus-run.jar ] \
    || [ ! -f notification-relay/target/quarkus-app/quarkus-run.jar ]; then
  echo "Building Tocsin (tests skipped; ./mvnw verify runs them) ..."
  ./mvnw -B -q -DskipTests package
fi
[ "${1:-}" = "--build" ] && shift
exec java -jar local-infra/target/local-infra.jar "$@"
