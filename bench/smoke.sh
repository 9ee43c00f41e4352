#!/usr/bin/env sh
# CI smoke run of the load tool: 50 clients, 5 alerts, broadcast, against every target that is available
# (Tocsin when alert-gateway's packaged jar exists, the Node ws and Socket.IO peers, Vert.x when its jar exists).
# Then a reconnect storm of 100 clients (one of two servers killed) against Tocsin and centrifuge where built, a
# small e2e stage run when alert-ingest and local-infra are built, and first the Redis fan-in check.
# Asserts nothing timed: only that every client got every alert exactly once. Exit 0 on success, 1 otherwise.
set -eu
cd "$(dirname "$0")"
command -v redis-server >/dev/null || { echo "redis-server is not on the PATH" >&2; exit 1; }
[ -d node_modules ] || npm ci --no-audit --no-fund --silent
# Redis pub/sub fan-in (the capacity section's input): every subscriber gets every message; counts only.
node redis-fanin.mjs --smoke
exec node run.mjs --smoke --work-dir "${TMPDIR:-/tmp}/tocsin-bench-smoke" "$@"
