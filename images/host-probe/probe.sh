#!/bin/sh
# instanton-bench host probe: what a checkpoint restore depends on, read off the host (or the
# pod, or the guest) it runs on. Plain POSIX sh and /proc, so it runs as a process, in a small
# container (a Kubernetes DaemonSet) or as a guest's first program. It prints `key<TAB>value`
# lines between two markers; `instanton-bench hosts probe` turns them into a host profile.
echo "==instanton-bench-host-probe 1=="
kv() { printf '%s\t%s\n' "$1" "$2"; }
present() { if [ -e "$2" ]; then kv "$1" yes; else kv "$1" no; fi; }
kv hostname "$(cat /proc/sys/kernel/hostname 2>/dev/null)"
kv node "${NODE_NAME:-}"
kv arch "$(uname -m)"
kv kernel "$(uname -r)"
kv cpu.vendor "$(grep -m1 '^vendor_id' /proc/cpuinfo | sed 's/^[^:]*: *//')"
kv cpu.model "$(grep -m1 '^model name' /proc/cpuinfo | sed 's/^[^:]*: *//')"
kv cpu.family "$(grep -m1 '^cpu family' /proc/cpuinfo | sed 's/^[^:]*: *//')"
kv cpu.modelNumber "$(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | sed 's/^[^:]*: *//')"
kv cpu.flags "$(grep -m1 '^flags' /proc/cpuinfo | sed 's/^[^:]*: *//')"
kv cpu.count "$(grep -c '^processor' /proc/cpuinfo)"
kv status.capEff "$(grep -m1 '^CapEff' /proc/self/status | sed 's/^[^:]*:[[:space:]]*//')"
kv status.capBnd "$(grep -m1 '^CapBnd' /proc/self/status | sed 's/^[^:]*:[[:space:]]*//')"
kv status.seccomp "$(grep -m1 '^Seccomp:' /proc/self/status | sed 's/^[^:]*:[[:space:]]*//')"
kv status.noNewPrivs "$(grep -m1 '^NoNewPrivs' /proc/self/status | sed 's/^[^:]*:[[:space:]]*//')"
kv uid "$(id -u 2>/dev/null)"
present kernel.nsLastPid /proc/sys/kernel/ns_last_pid
present kernel.timeNamespace /proc/self/ns/time
present kernel.userfaultfd /proc/sys/vm/unprivileged_userfaultfd
present kernel.softDirty /proc/self/pagemap
kv kernel.ptraceScope "$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null)"
kv kernel.pidMax "$(cat /proc/sys/kernel/pid_max 2>/dev/null)"
kv kernel.config "$( (zcat /proc/config.gz 2>/dev/null || cat "/boot/config-$(uname -r)" 2>/dev/null) | grep -E '^CONFIG_(CHECKPOINT_RESTORE|TIME_NS|USERFAULTFD|MEM_SOFT_DIRTY|INET_DIAG|UNIX_DIAG|PACKET_DIAG|NETLINK_DIAG|RSEQ)=' | tr '\n' ' ')"
kv glibc "$(getconf GNU_LIBC_VERSION 2>/dev/null)"
kv engine "$( (podman --version || docker --version || crictl --version) 2>/dev/null | head -1)"
if command -v criu >/dev/null 2>&1; then
  kv criu.version "$(criu --version 2>/dev/null | head -1)"
  for f in get_rseq_conf clone3_set_tid time_ns uffd mem_dirty_track ns_last_pid; do
    if criu check --feature "$f" >/dev/null 2>&1; then kv "criu.feature.$f" yes; else kv "criu.feature.$f" no; fi
  done
fi
echo "==instanton-bench-host-probe end=="
