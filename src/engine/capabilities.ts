import type { Privilege } from './engine.js';

/**
 * Linux capabilities by number (include/uapi/linux/capability.h), to decode the CapBnd
 * mask a container reports and to name the set a checkpointed server may hold.
 */
export const CAPABILITY_NAMES = [
  'chown',
  'dac_override',
  'dac_read_search',
  'fowner',
  'fsetid',
  'kill',
  'setgid',
  'setuid',
  'setpcap',
  'linux_immutable',
  'net_bind_service',
  'net_broadcast',
  'net_admin',
  'net_raw',
  'ipc_lock',
  'ipc_owner',
  'sys_module',
  'sys_rawio',
  'sys_chroot',
  'sys_ptrace',
  'sys_pacct',
  'sys_admin',
  'sys_boot',
  'sys_nice',
  'sys_resource',
  'sys_time',
  'sys_tty_config',
  'mknod',
  'lease',
  'audit_write',
  'audit_control',
  'setfcap',
  'mac_override',
  'mac_admin',
  'syslog',
  'wake_alarm',
  'block_suspend',
  'audit_read',
  'perfmon',
  'bpf',
  'checkpoint_restore',
] as const;

/**
 * The least privilege that restores a checkpoint on this kernel with CRIU 4.2 under podman's
 * default seccomp profile (shared notes, environment.md; each one removed fails):
 * - CHECKPOINT_RESTORE, SETPCAP: CRIU restore proper (PIDs via clone3 set_tid, capability sets);
 * - SYS_ADMIN: CRIU's kernel-feature detection creates a network namespace;
 * - NET_ADMIN: SO_SNDBUFFORCE/SO_RCVBUFFORCE on restored sockets;
 * - SYS_TIME: the time namespace's monotonic clock offset.
 */
export const RESTORE_CAPABILITIES = ['CHECKPOINT_RESTORE', 'SETPCAP', 'NET_ADMIN', 'SYS_ADMIN', 'SYS_TIME'] as const;

/** Decode a /proc/PID/status capability mask (hex) into capability names. */
export function decodeCapabilityMask(hex: string): string[] {
  const mask = BigInt(`0x${hex.trim()}`);
  const names: string[] = [];
  CAPABILITY_NAMES.forEach((name, bit) => {
    if ((mask >> BigInt(bit)) & 1n) names.push(name);
  });
  return names;
}

/** setpriv's --bounding-set argument tail: "+chown,+kill,...". */
export function setprivCapList(names: readonly string[]): string {
  return names.map((n) => `+${n}`).join(',');
}

export type RestoreMode = 'least-privilege' | 'privileged';

/** What a restore container may do in the given mode. */
export function restorePrivilege(mode: RestoreMode): Privilege {
  if (mode === 'privileged') return { kind: 'privileged' };
  return { kind: 'capabilities', add: RESTORE_CAPABILITIES };
}

/**
 * What a `podman build` whose RUN step checkpoints needs: Open Liberty's docs list
 * CHECKPOINT_RESTORE, SYS_PTRACE and SETPCAP with seccomp unconfined; this kernel also wants
 * SYS_ADMIN, NET_ADMIN and SYS_TIME (see RESTORE_CAPABILITIES).
 */
export const CHECKPOINT_BUILD_PRIVILEGE: Privilege = {
  kind: 'capabilities',
  add: ['CHECKPOINT_RESTORE', 'SYS_PTRACE', 'SETPCAP', 'SYS_ADMIN', 'NET_ADMIN', 'SYS_TIME'],
  seccompUnconfined: true,
};
