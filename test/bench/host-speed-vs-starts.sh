#!/usr/bin/env bash
# Pingperf cold + afterAppStart with the host speed probe, idle and with a busy loop on the server CPU
# (README, "How fast was the host?"). Needs the Pingperf images (bash bin/quickstart.sh builds them).
set -u
cd "$(dirname "$0")/../.."
ib=node_modules/.bin/instanton-bench
run() { taskset -c 0 $ib run --scenario pingperf --variants cold,afterAppStart --runs 6 --warmup 1 --seed $2 --out results/reference/host-speed-$1.json > /tmp/speed-$1.log 2>&1; echo "$1 exit $?"; }
run idle-1 3001
taskset -c 1 sh -c 'while :; do :; done' &
HOG=$!
trap 'kill $HOG 2>/dev/null' EXIT
run hog-server-cpu 3002
kill $HOG
run idle-2 3003
