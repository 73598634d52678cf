#!/bin/bash
# instanton-bench local base: the runtime entrypoint (run under dumb-init, as in the official
# images). The image's default command goes through the tool's entrypoint, which restores a
# checkpoint image when there is one, takes a checkpoint when WLP_CHECKPOINT is set, and
# otherwise starts the server; any other command runs as given.
if [ "$#" -eq 0 ] || [ "$*" = "/opt/ol/wlp/bin/server run defaultServer" ] || [ "$*" = "server run defaultServer" ]; then
  exec /opt/ib/entrypoint.sh
fi
exec "$@"
