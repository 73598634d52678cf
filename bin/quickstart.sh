#!/usr/bin/env bash
# instanton-bench, end to end on a fresh Debian 12 machine (as root):
# system packages, npm dependencies, prerequisites check, image builds (Debian sid base with
# CRIU 4.2, Open Liberty from Maven Central, the Pingperf app with Maven, one checkpoint
# image per phase), a quick measured run of Pingperf cold and InstantOn, and the report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-system-deps.sh
npm ci --no-audit --no-fund
npx instanton-bench doctor || true
OUT="results/quickstart-$(date -u +%Y%m%dT%H%M%SZ).json"
npx instanton-bench run --scenario pingperf --variants cold,beforeAppStart,afterAppStart --out "$OUT"
npx instanton-bench report "$OUT" --out reports/quickstart
echo "open reports/quickstart/index.html"
