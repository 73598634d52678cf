#!/bin/bash
# instanton-bench container entrypoint (local profile), run under dumb-init as PID 1
# (a restored process cannot be PID 1), in the spirit of Open Liberty's docker-server.sh:
# 1. a checkpoint image exists: `server run`, and Liberty's own bin/server restores it
#    (restoreTime, restore.log, CWWKC0452I, and its fallback to a normal start);
# 2. WLP_CHECKPOINT=PHASE: take a checkpoint with `server checkpoint --at=PHASE`;
# 3. otherwise: a cold start, `server run` (with --clean when IB_CLEAN_START is set).
# First: the entrypoint's own clock for the start's timeline (bash's EPOCHREALTIME, no fork),
# in microseconds since the epoch; the harness reads it before removing the container.
printf '%s\n' "${EPOCHREALTIME/[.,]/}" > /tmp/instanton-bench-entrypoint-at
set -eu
WLP=/opt/ol/wlp
SERVER=defaultServer
CHECKPOINT_IMAGE="$WLP_OUTPUT_DIR/$SERVER/workarea/checkpoint/image"
mkdir -p "$WLP_OUTPUT_DIR" "$LOG_DIR"

if [ -d "$CHECKPOINT_IMAGE" ]; then
  exec "$WLP/bin/server" run "$SERVER"
fi

if [ -n "${WLP_CHECKPOINT:-}" ]; then
  exec /opt/ib/checkpoint.sh "$WLP_CHECKPOINT"
fi

# IB_CLEAN_START=true (run --cold-state clean): a truly first start, Liberty's caches cleared.
exec "$WLP/bin/server" run "$SERVER" ${IB_CLEAN_START:+--clean}
