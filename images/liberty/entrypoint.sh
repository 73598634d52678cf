#!/bin/sh
# instanton-bench container entrypoint (local profile), run under dumb-init as PID 1.
# Cold start: the Liberty server runs with every capability dropped, so that a
# checkpoint taken of it can later be restored by a less privileged container
# (see shared notes: a process dumped holding capabilities cannot be restored
# without them).
set -eu
WLP=/opt/ol/wlp
DROP_CAPS="setpriv --inh-caps=-all --ambient-caps=-all --bounding-set=-all"
mkdir -p "$WLP_OUTPUT_DIR" "$LOG_DIR"
exec $DROP_CAPS "$WLP/bin/server" run defaultServer
