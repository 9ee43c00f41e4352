# Shared by start-redis.sh and start-sentinel.sh (sourced). Every node of the set runs one Redis and one Sentinel.
#
# Environment:
#   SELF_HOST       this node's stable name, what it announces (in Kubernetes: redis-N.redis.<namespace>.svc)
#   SEED            "host:port" of the Redis that is master when no sentinel knows one (the first pod's)
#   SENTINELS       space-separated "host:port" of every sentinel of the set, this node's included
#   MASTER_NAME     the name in `sentinel monitor` (default tocsin; the services' QUARKUS_REDIS_MASTER_NAME)
#   REDIS_PASSWORD  optional; when set, Redis and Sentinel require it and use it towards each other
#   REDISCLI_AUTH   the same password, for redis-cli (set by the manifests)
#   RUN_DIR         where the generated configuration goes (default /tmp; Sentinel rewrites its file there)
#   BIND            optional listen address (default: Redis' own, every interface; test-local.sh binds one per node)
set -eu

MASTER_NAME=${MASTER_NAME:-tocsin}
RUN_DIR=${RUN_DIR:-/tmp}
: "${SELF_HOST:?SELF_HOST is required}" "${SEED:?SEED is required}" "${SENTINELS:?SENTINELS is required}"

log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) [$(basename "$0")] $*" >&2; }

# Prints "host port" of the master the first answering sentinel names, or nothing when none answers with one (first
# start of the set, or every sentinel restarted and lost its state). A sentinel that is up but monitors nothing yet
# answers nil, which counts as no answer.
current_master() {
  for sentinel in $SENTINELS; do
    answer=$(redis-cli --no-auth-warning -h "${sentinel%:*}" -p "${sentinel##*:}" --raw \
      sentinel get-master-addr-by-name "$MASTER_NAME" 2>/dev/null) || continue
    host=$(printf '%s\n' "$answer" | sed -n 1p)
    port=$(printf '%s\n' "$answer" | sed -n 2p)
    case "$port" in
      ''|*[!0-9]*) continue ;;
    esac
    echo "$host $port"
    return 0
  done
  return 0
}

# Pod DNS records appear a moment after the pod starts; Sentinel refuses a monitor whose host does not resolve.
wait_resolvable() {
  host=$1
  case "$host" in
    *[!0-9.]*) ;;
    *) return 0 ;;
  esac
  for _ in $(seq 1 60); do
    getent hosts "$host" >/dev/null 2>&1 && return 0
    sleep 1
  done
  log "$host does not resolve after 60 s"
  return 1
}
