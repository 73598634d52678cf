#!/usr/bin/env bash
# instanton-bench, end to end on a fresh Debian 12 machine (as root):
# system packages, npm dependencies, prerequisites check, image builds (Debian sid base with
# CRIU 4.2, Open Liberty from Maven Central, the Pingperf app with Maven, one checkpoint
# image per phase), a quick measured run of Pingperf cold and InstantOn, and the report.
#
# The tool runs through its own bin, not npx: npx does not pass SIGINT/SIGTERM on to the
# program it starts, so a CI runner cancelling this script would leave the run going. Here a
# signal sent to this script alone is forwarded, and the script waits for the run's cleanup.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-system-deps.sh
npm ci --no-audit --no-fund

IB_PID=""
forward() {
  if [[ -n "$IB_PID" ]]; then kill "-$1" "$IB_PID" 2>/dev/null || true; fi
}
trap 'forward INT' INT
trap 'forward TERM' TERM
ib() {
  node_modules/.bin/instanton-bench "$@" &
  IB_PID=$!
  local rc=0
  wait "$IB_PID" || rc=$?
  # A trapped signal ends `wait` early: wait again until the run has cleaned up and exited.
  while kill -0 "$IB_PID" 2>/dev/null; do
    rc=0
    wait "$IB_PID" || rc=$?
  done
  IB_PID=""
  return "$rc"
}

ib doctor || true
OUT="results/quickstart-$(date -u +%Y%m%dT%H%M%SZ).json"
ib run --scenario pingperf --variants cold,beforeAppStart,afterAppStart --out "$OUT"
ib report "$OUT" --out reports/quickstart
echo "open reports/quickstart/index.html"
