#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine, for CI and for machines without an init system (containers,
# these build machines). When `docker info` already works, does nothing and prints nothing. Otherwise starts Debian's
# dockerd (package docker.io) in the background on the default socket, waits until it answers, and prints its pid on
# stdout, so the caller can stop it (kill <pid>) when done. Its log: ${TOCSIN_DOCKERD_LOG:-/tmp/tocsin-dockerd.log}.
# Needs root (or sudo) to start dockerd.
set -euo pipefail
log() { echo "dockerd.sh: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if docker info >/dev/null 2>&1; then
  exit 0
fi
command -v dockerd >/dev/null || { log "dockerd is not installed (apt-get install docker.io)"; exit 1; }
logfile="${TOCSIN_DOCKERD_LOG:-/tmp/tocsin-dockerd.log}"
pidfile="$(mktemp -u /tmp/tocsin-dockerd.XXXXXX.pid)"
# setsid: not in this shell's process group, so the caller's Ctrl-C does not kill the engine under running containers
as_root sh -c "setsid dockerd --pidfile '$pidfile' >'$logfile' 2>&1 & echo \$! >'$pidfile.launcher'"
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    pid="$(cat "$pidfile" 2>/dev/null || cat "$pidfile.launcher")"; rm -f "$pidfile.launcher"
    log "dockerd started (pid $pid, log $logfile)"
    echo "$pid"
    exit 0
  fi
  sleep 1
done
log "dockerd did not answer within 60 s; its log ($logfile):"
tail -20 "$logfile" >&2 || true
exit 1
