#!/bin/sh
# Take a Liberty checkpoint at phase $WLP_CHECKPOINT (or $1), as the last step of a container
# run (three-step flow) or as a `RUN checkpoint.sh PHASE` step of an image build.
set -eu
WLP=/opt/ol/wlp
SERVER=defaultServer
PHASE="${1:-${WLP_CHECKPOINT:-}}"
if [ -z "$PHASE" ]; then
  echo "checkpoint.sh: no phase: pass beforeAppStart or afterAppStart (or set WLP_CHECKPOINT)" >&2
  exit 2
fi
mkdir -p "$WLP_OUTPUT_DIR" "$LOG_DIR"
# Restored processes keep their PIDs: move the PID counter well past what a restore
# container uses before `criu restore` runs, so the JVM's PIDs are free there.
i=0
while [ "$i" -lt "${IB_PID_BUMP:-1000}" ]; do /bin/true; i=$((i + 1)); done
# The shim's agent for this JVM only (restores are this JVM; cold starts never load it): stateless
# SecureRandoms until the restore and java.util.Random reseeded at it, as OpenJ9 does.
export JVM_ARGS="${JVM_ARGS:-} -javaagent:/opt/ib/openj9-criu-shim.jar"
# The checkpointed server may hold only capabilities the restoring container will have:
# CRIU restores the dumped capability sets and cannot grant more than it holds.
# IB_CHECKPOINT_CAPS is set by the harness to the restore containers' set.
# A server that is not root (uid 1001, as the official images run it) holds no capabilities to drop, and
# may not change its bounding set: Liberty checkpoints it with CRIU --unprivileged (criu's file capabilities).
if [ -n "${IB_CHECKPOINT_CAPS:-}" ] && [ "$(id -u)" = 0 ]; then
  exec setpriv --bounding-set="-all,${IB_CHECKPOINT_CAPS}" --inh-caps=-all \
    "$WLP/bin/server" checkpoint "$SERVER" --at="$PHASE"
fi
exec "$WLP/bin/server" checkpoint "$SERVER" --at="$PHASE"
