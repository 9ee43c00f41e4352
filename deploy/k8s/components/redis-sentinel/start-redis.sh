#!/bin/sh
# Starts this node's Redis: a replica of the master the sentinels name; when no sentinel names one, master if this
# node is the seed (the first pod) and a replica of the seed otherwise. A former master that restarts after a
# failover therefore comes back as a replica instead of a second master. Extra environment: REDIS_PORT (default
# 6379), BASE_CONF (default /etc/redis/redis.conf, included first).
. "$(dirname "$0")/sentinel-lib.sh"
REDIS_PORT=${REDIS_PORT:-6379}
BASE_CONF=${BASE_CONF:-/etc/redis/redis.conf}

if [ -z "${REDIS_PASSWORD:-}" ] && [ "${REDIS_REQUIRE_PASSWORD:-false}" = true ]; then
  log "REDIS_REQUIRE_PASSWORD=true: refusing to start without a password (Secret tocsin-redis, key password)"
  exit 1
fi

master=$(current_master)
if [ -n "$master" ]; then
  master_host=${master% *}
  master_port=${master#* }
  log "the sentinels name $master_host:$master_port as master"
else
  master_host=${SEED%:*}
  master_port=${SEED##*:}
  log "no sentinel names a master yet: the seed $master_host:$master_port is master"
fi

conf="$RUN_DIR/redis.conf"
{
  echo "include $BASE_CONF"
  echo "port $REDIS_PORT"
  if [ -n "${BIND:-}" ]; then echo "bind $BIND"; fi
  # replicas announce the stable name, so Sentinel and clients reach them after a pod IP change
  echo "replica-announce-ip $SELF_HOST"
  echo "replica-announce-port $REDIS_PORT"
  if [ -n "${REDIS_PASSWORD:-}" ]; then
    # the password goes into a config file under RUN_DIR, never onto a command line
    printf 'requirepass "%s"\nmasterauth "%s"\n' "$REDIS_PASSWORD" "$REDIS_PASSWORD"
  fi
  if [ "$master_host" = "$SELF_HOST" ] && [ "$master_port" = "$REDIS_PORT" ]; then
    log "starting as master"
  else
    log "starting as a replica of $master_host:$master_port"
    echo "replicaof $master_host $master_port"
  fi
} >"$conf"
exec redis-server "$conf"
