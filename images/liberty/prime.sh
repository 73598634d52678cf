#!/bin/sh
# Start the server once at image build time and stop it, as the official images'
# configure.sh does, so that a cold start of the image finds Liberty's feature and
# bundle caches in the workarea instead of resolving every feature on first start.
set -eu
WLP=/opt/ol/wlp
mkdir -p "$WLP_OUTPUT_DIR" "$LOG_DIR"
"$WLP/bin/server" start defaultServer
"$WLP/bin/server" stop defaultServer
# Logs of the priming start must not be mistaken for a measured start's.
rm -rf "$LOG_DIR"/* "$WLP_OUTPUT_DIR/defaultServer/logs"
