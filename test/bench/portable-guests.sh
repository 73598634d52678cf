#!/usr/bin/env bash
# The forecast against the outcome for guest CPU models of both vendors (QEMU's software CPU), a default and a
# portable Pingperf afterAppStart checkpoint of this host, one restore each:
#   bash test/bench/portable-guests.sh OUT_DIR LEVEL MODEL...
# e.g. bash test/bench/portable-guests.sh results/reference/portable-guests x86-64-v3-clwb Nehalem Haswell-noTSX \
#        Skylake-Server EPYC-Rome
# Each guest: made (probed inside), then `run --restore-on` with arms default and portable:cpu-baseline=LEVEL (the
# forecast is recorded with each start before it runs), then removed. Writes OUT_DIR/MODEL.json and a summary.
set -euo pipefail
out=$1 level=$2
shift 2
mkdir -p "$out"
bin="node $(dirname "$0")/../../bin/instanton-bench.js"
for model in "$@"; do
  name="pg-$(echo "$model" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9\n' '-' | cut -c1-20)"
  $bin hosts vm rm "$name" >/dev/null 2>&1 || true
  $bin hosts vm create "$name" --cpu "$model"
  $bin run --scenario pingperf --variants afterAppStart --runs 1 --warmup 0 --restore-on "$name" \
    --arm default --arm "portable:cpu-baseline=$level" --out "$out/$model.json" || true
  $bin hosts vm rm "$name"
done
node -e '
const fs = require("fs"); const dir = process.argv[1];
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  const r = JSON.parse(fs.readFileSync(`${dir}/${f}`, "utf8"));
  for (const s of r.runs) console.log([f.replace(/\.json$/, ""), s.arm, s.guest?.forecast?.outcome, s.status, s.restore?.verified].join("\t"));
}' "$out"
