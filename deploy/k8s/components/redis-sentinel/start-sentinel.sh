#!/bin/sh
# Starts this node's Sentinel, monitoring the master the other sentinels name (or the seed when none names one).
# Sentinel rewrites its configuration file as it learns the set; it lives under RUN_DIR (an emptyDir), so a restarted
# sentinel starts from what its peers know rather than from stale state. Extra environment: SENTINEL_PORT (default
# 26379), QUORUM (default 2), DOWN_AFTER_MS (default 5000), FAILOVER_TIMEOUT_MS (default 60000).
. "$(dirname "$0")/sentinel-lib.sh"
SENTINEL_PORT=${SENTINEL_PORT:-26379}

master=$(current_master)
if [ -n "$master" ]; then
  master_host=${master% *}
  master_port=${master#* }
else
  master_host=${SEED%:*}
  master_port=${SEED##*:}
fi
wait_resolvable "$master_host"
log "monitoring $MASTER_NAME at $master_host:$master_port"

conf="$RUN_DIR/sentinel.conf"
{
  echo "port $SENTINEL_PORT"
  if [ -n "${BIND:-}" ]; then echo "bind $BIND"; fi
  echo "dir $RUN_DIR"
  echo "sentinel resolve-hostnames yes"
  echo "sentinel announce-hostnames yes"
  echo "sentinel announce-ip $SELF_HOST"
  echo "sentinel announce-port $SENTINEL_PORT"
  echo "sentinel monitor $MASTER_NAME $master_host $master_port ${QUORUM:-2}"
  echo "sentinel down-after-milliseconds $MASTER_NAME ${DOWN_AFTER_MS:-5000}"
  echo "sentinel failover-timeout $MASTER_NAME ${FAILOVER_TIMEOUT_MS:-60000}"
  echo "sentinel parallel-syncs $MASTER_NAME 1"
  if [ -n "${REDIS_PASSWORD:-}" ]; then
    # the services' Redis client sends the one password to the sentinels too, so they require the same one; sentinels
    # use it towards each other (requirepass) and towards the Redis nodes (auth-pass)
    printf 'requirepass "%s"\nsentinel auth-pass %s "%s"\n' "$REDIS_PASSWORD" "$MASTER_NAME" "$REDIS_PASSWORD"
  fi
} >"$conf"
exec redis-server "$conf" --sentinel
