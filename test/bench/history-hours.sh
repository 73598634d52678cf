#!/usr/bin/env bash
# A nightly series over hours, the same image every build (an A/A series): each build a paired run of a reference arm
# and a build arm of Pingperf, cold and afterAppStart, 3 starts each after a warm-up, into a store, one build every
# $EVERY seconds until $BUILDS builds (docs/history.md, "Error rates"). While /tmp/history-hours.pause exists no build
# starts (the machine's other container work, e.g. a CI run, must not share the server CPU with a measurement).
# Usage: test/bench/history-hours.sh OUT_DIR [BUILDS] [EVERY] [TOOL_DIR]
#   TOOL_DIR: a frozen copy of the tool (bin, dist, images, scenarios), so that edits made meanwhile are not measured.
set -u
out=${1:?usage: history-hours.sh OUT_DIR [BUILDS] [EVERY] [TOOL_DIR]}
builds=${2:-16}
every=${3:-540}
tool=${4:-$(cd "$(dirname "$0")/../.." && pwd)}
mkdir -p "$out"
for n in $(seq 1 "$builds"); do
  while [ -e /tmp/history-hours.pause ]; do sleep 10; done
  start=$(date +%s)
  echo "$(date -u +%FT%TZ) build $n"
  taskset -c 0 node "$tool/bin/instanton-bench.js" run --scenario pingperf --variants cold,afterAppStart --runs 3 \
    --warmup 1 --seed "$n" --arm ref --arm build --reference ref --store "$out/store" --label "build=$n" \
    --out "$out/build-$n.json" > "$out/build-$n.log" 2>&1
  echo "$(date -u +%FT%TZ) build $n exit $?"
  [ "$n" = "$builds" ] && break
  left=$(( every - ($(date +%s) - start) ))
  [ "$left" -gt 0 ] && sleep "$left"
done
