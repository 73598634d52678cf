import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { privilegeFlags } from '../../../src/engine/podman-argv.js';
import { seccompProfileWith } from '../../../src/engine/seccomp.js';
import {
  PTRACE_GET_RSEQ_CONFIGURATION,
  restoreHost,
  restoreHostPrivilege,
} from '../../../src/measure/restore-hosts.js';

const base = {
  defaultAction: 'SCMP_ACT_ERRNO',
  syscalls: [
    { names: ['read', 'ptrace', 'clone3'], action: 'SCMP_ACT_ALLOW' },
    { names: ['ptrace'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_PTRACE'] } },
  ],
};

describe('restore hosts emulated by seccomp', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ib-seccomp-'));
  const source = path.join(dir, 'seccomp.json');
  writeFileSync(source, JSON.stringify(base));

  it('no-ptrace-rseq: PTRACE_GET_RSEQ_CONFIGURATION answers EIO, every other ptrace request is allowed, the rest of the profile is kept', () => {
    const p = restoreHost('no-ptrace-rseq');
    if (!p?.seccompDeny) throw new Error('profile missing');
    const file = seccompProfileWith(p.seccompDeny, [source]);
    const out = JSON.parse(readFileSync(file, 'utf8')) as typeof base & {
      syscalls: Array<{ names: string[]; action: string; errnoRet?: number; args?: unknown[] }>;
    };
    expect(out.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(out.syscalls.filter((r) => r.names.includes('ptrace'))).toEqual([
      {
        names: ['ptrace'],
        action: 'SCMP_ACT_ERRNO',
        errnoRet: 5,
        args: [{ index: 0, value: PTRACE_GET_RSEQ_CONFIGURATION, op: 'SCMP_CMP_EQ' }],
      },
      { names: ['ptrace'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0x420f, op: 'SCMP_CMP_NE' }] },
    ]);
    expect(out.syscalls[0]?.names).toEqual(['read', 'clone3']);
    // The same content is written once.
    expect(seccompProfileWith(p.seccompDeny, [source])).toBe(file);
  });

  it('no-clone3 answers ENOSYS; documented-caps is a capability set; podman gets the profile as --security-opt', () => {
    const p = restoreHost('no-clone3');
    if (!p?.seccompDeny) throw new Error('profile missing');
    const out = JSON.parse(readFileSync(seccompProfileWith(p.seccompDeny, [source]), 'utf8')) as {
      syscalls: Array<{ names: string[]; action: string; errnoRet?: number }>;
    };
    expect(out.syscalls.find((r) => r.names.includes('clone3'))).toEqual({
      names: ['clone3'],
      action: 'SCMP_ACT_ERRNO',
      errnoRet: 38,
    });
    const caps = restoreHost('documented-caps');
    if (!caps) throw new Error('profile missing');
    expect(privilegeFlags(restoreHostPrivilege(caps))).toEqual([
      '--cap-add',
      'CHECKPOINT_RESTORE',
      '--cap-add',
      'SETPCAP',
    ]);
    expect(() => seccompProfileWith(p.seccompDeny ?? [], [path.join(dir, 'none.json')])).toThrow(
      /podman's default seccomp profile is not at/,
    );
  });
});
