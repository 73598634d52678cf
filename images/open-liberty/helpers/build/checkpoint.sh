#!/bin/sh
# instanton-bench local base: `RUN checkpoint.sh PHASE` (beforeAppStart or afterAppStart), the
# last step of a Containerfile built with podman build --cap-add=CHECKPOINT_RESTORE
# --cap-add=SYS_PTRACE --cap-add=SETPCAP --security-opt seccomp=unconfined. The server starts,
# checkpoints itself at PHASE and the build step ends; the image's entrypoint restores it.
set -eu
PHASE="${1:-${WLP_CHECKPOINT:-}}"
case "$PHASE" in
  beforeAppStart|afterAppStart) ;;
  *) echo "checkpoint.sh: expected beforeAppStart or afterAppStart, got '${PHASE}'" >&2; exit 2 ;;
esac
IB_CHECKPOINT_CAPS="${IB_CHECKPOINT_CAPS:-${IB_CHECKPOINT_CAPS_DEFAULT:-}}" exec /opt/ib/checkpoint.sh "$PHASE"
