import type { Privilege } from '../engine/engine.js';
import { RESTORE_CAPABILITIES } from '../engine/capabilities.js';

/**
 * Restore hosts emulated on this machine (`run --restore-host NAME`): what a node type that
 * differs from this one would do to a restore, applied to the restore containers only, so a
 * team can see before production what CRIU and Liberty make of it (README, "Beyond one machine").
 */
export interface RestoreHostProfile {
  readonly name: string;
  /** What host it stands for. */
  readonly emulates: string;
  readonly capabilities: readonly string[];
  readonly seccompDeny?: NonNullable<Extract<Privilege, { kind: 'capabilities' }>['seccompDeny']>;
}

/** ptrace request 0x420f (linux/ptrace.h), added in Linux 5.13; older kernels answer EIO. */
export const PTRACE_GET_RSEQ_CONFIGURATION = 0x420f;
const EIO = 5;
const ENOSYS = 38;

export const RESTORE_HOSTS: readonly RestoreHostProfile[] = [
  {
    name: 'no-ptrace-rseq',
    emulates:
      "a kernel before 5.13 (EKS's 5.10 nodes): ptrace(PTRACE_GET_RSEQ_CONFIGURATION) answers EIO, as an unknown " +
      'request does (criu#1696, openj9#20416)',
    capabilities: RESTORE_CAPABILITIES,
    seccompDeny: [{ syscall: 'ptrace', arg0: PTRACE_GET_RSEQ_CONFIGURATION, errno: EIO }],
  },
  {
    name: 'no-clone3',
    emulates:
      'a kernel before 5.3 (or a seccomp profile that refuses clone3): clone3 answers ENOSYS, so CRIU cannot ' +
      'choose PIDs with set_tid and needs /proc/sys/kernel/ns_last_pid, read-only in an unprivileged container',
    capabilities: RESTORE_CAPABILITIES,
    seccompDeny: [{ syscall: 'clone3', errno: ENOSYS }],
  },
  {
    name: 'documented-caps',
    emulates:
      "a platform that grants a restore only the capabilities Open Liberty's docs name (CHECKPOINT_RESTORE and " +
      "SETPCAP), under the engine's default seccomp profile",
    capabilities: ['CHECKPOINT_RESTORE', 'SETPCAP'],
  },
];

export function restoreHost(name: string): RestoreHostProfile | undefined {
  return RESTORE_HOSTS.find((p) => p.name === name);
}

export function restoreHostPrivilege(p: RestoreHostProfile): Privilege {
  return {
    kind: 'capabilities',
    add: p.capabilities,
    ...(p.seccompDeny ? { seccompDeny: p.seccompDeny } : {}),
  };
}
