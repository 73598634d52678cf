#!/bin/bash
# Does launching a start while podman still tears the previous container down skew it?
# Alternates two ways of ending a start of IMAGE (an InstantOn image of the harness):
#   S: podman rm, wait for the attached client: the next launch waits for the whole teardown
#      (what `run` does);
#   O: move conmon and the client off the server CPU, SIGKILL the container's init, launch the
#      next start as soon as the server's processes are gone, tear down in the background.
# Prints each start's time to first response and the median after each kind of ending.
# Usage: test/bench/teardown-overlap.sh IMAGE [STARTS] [URL-PATH]
set -u
IMG=${1:?usage: teardown-overlap.sh IMAGE [STARTS] [URL-PATH]}
N=${2:-20}
URLPATH=${3:-/pingperf/ping/greeting}
F="--runtime runc --ulimit nofile=20000:20000 --ulimit nproc=4096:4096 --cap-add CHECKPOINT_RESTORE,SETPCAP,NET_ADMIN,SYS_ADMIN,SYS_TIME"
now() { date +%s%3N; }
after_S=(); after_O=(); prev=""; bg=""
for i in $(seq 1 "$N"); do
  mode=$([ $((i % 2)) = 0 ] && echo O || echo S)
  name="ib-overlap-$$-$i"; port=$((19100 + i))
  s=$(now)
  taskset -c 1 podman run $F --name "$name" -p "127.0.0.1:$port:9080" "$IMG" >/dev/null 2>&1 &
  client=$!
  until curl -sf "http://127.0.0.1:$port$URLPATH" >/dev/null 2>&1; do sleep 0.01; done
  f=$(($(now) - s))
  [ -n "$bg" ] && wait "$bg" 2>/dev/null
  if [ -n "$prev" ]; then
    echo "start $i after an $prev ending: first response $f ms"
    if [ "$prev" = S ]; then after_S+=("$f"); else after_O+=("$f"); fi
  fi
  pid=$(podman inspect --format '{{.State.Pid}}' "$name"); conmon=$(podman inspect --format '{{.State.ConmonPid}}' "$name")
  if [ "$mode" = O ]; then
    taskset -a -p -c 0 "$conmon" >/dev/null; taskset -a -p -c 0 "$client" >/dev/null
    kill -9 "$pid"
    while [ -e "/proc/$pid/stat" ] && [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ]; do :; done
    (wait "$client" 2>/dev/null; podman rm -f -t 0 "$name" >/dev/null 2>&1) &
    bg=$!
  else
    podman rm -f -t 0 "$name" >/dev/null; wait "$client" 2>/dev/null; bg=""
  fi
  prev=$mode
done
wait
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median first response after a full teardown (S): $(med "${after_S[@]}") ms (${#after_S[@]} starts)"
echo "median first response when launched during the previous teardown (O): $(med "${after_O[@]}") ms (${#after_O[@]} starts)"
