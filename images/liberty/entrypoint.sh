#!/bin/sh
# instanton-bench container entrypoint (local profile), run under dumb-init as PID 1
# (a restored process cannot be PID 1), in the spirit of Open Liberty's docker-server.sh:
# 1. a checkpoint image exists: `server run`, and Liberty's own bin/server restores it
#    (restoreTime, restore.log, CWWKC0452I, and its fallback to a normal start);
# 2. WLP_CHECKPOINT=PHASE: take a checkpoint with `server checkpoint --at=PHASE`;
# 3. otherwise: a cold start, `server run`.
set -eu
WLP=/opt/ol/wlp
SERVER=defaultServer
CHECKPOINT_IMAGE="$WLP_OUTPUT_DIR/$SERVER/workarea/checkpoint/image"
mkdir -p "$WLP_OUTPUT_DIR" "$LOG_DIR"

if [ -d "$CHECKPOINT_IMAGE" ]; then
  exec "$WLP/bin/server" run "$SERVER"
fi

if [ -n "${WLP_CHECKPOINT:-}" ]; then
  # Restored processes keep their PIDs: move the PID counter well past what a restore
  # container uses before `criu restore` runs, so the JVM's PIDs are free there.
  i=0
  while [ "$i" -lt "${IB_PID_BUMP:-1000}" ]; do /bin/true; i=$((i + 1)); done
  # The checkpointed server may hold only capabilities the restoring container will have:
  # CRIU restores the dumped capability sets and cannot grant more than it holds.
  # IB_CHECKPOINT_CAPS is set by the harness to the restore containers' set.
  if [ -n "${IB_CHECKPOINT_CAPS:-}" ]; then
    exec setpriv --bounding-set="-all,${IB_CHECKPOINT_CAPS}" --inh-caps=-all \
      "$WLP/bin/server" checkpoint "$SERVER" --at="$WLP_CHECKPOINT"
  fi
  exec "$WLP/bin/server" checkpoint "$SERVER" --at="$WLP_CHECKPOINT"
fi

exec "$WLP/bin/server" run "$SERVER"
