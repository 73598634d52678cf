import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineError } from '../core/errors.js';
import type { SeccompDenial } from './engine.js';

/** Where podman (containers-common) keeps its default seccomp profile. */
export const DEFAULT_SECCOMP_PROFILES = ['/usr/share/containers/seccomp.json', '/etc/containers/seccomp.json'];

interface SyscallRule {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: Array<{ index: number; value: number; op: string }>;
  [k: string]: unknown;
}

/**
 * The engine's default seccomp profile with some system calls answered by an error, as an older
 * kernel answers them: each named call is taken out of every rule and given its own (an error
 * for the denied first argument, allowed otherwise). Written once per content to a temporary
 * file; returns its path. The rest of the default filter stays as it is.
 */
export function seccompProfileWith(deny: readonly SeccompDenial[], candidates = DEFAULT_SECCOMP_PROFILES): string {
  const source = candidates.find((f) => existsSync(f));
  if (!source)
    throw new EngineError(
      `cannot emulate a restore host: podman's default seccomp profile is not at ${candidates.join(' or ')}`,
      'install containers-common (it ships the profile), or run without --restore-host',
    );
  const profile = JSON.parse(readFileSync(source, 'utf8')) as { syscalls: SyscallRule[]; [k: string]: unknown };
  const names = new Set(deny.map((d) => d.syscall));
  const syscalls = profile.syscalls
    .map((r) => ({ ...r, names: r.names.filter((n) => !names.has(n)) }))
    .filter((r) => r.names.length > 0);
  for (const d of deny) {
    if (d.arg0 === undefined) syscalls.push({ names: [d.syscall], action: 'SCMP_ACT_ERRNO', errnoRet: d.errno });
    else
      syscalls.push(
        {
          names: [d.syscall],
          action: 'SCMP_ACT_ERRNO',
          errnoRet: d.errno,
          args: [{ index: 0, value: d.arg0, op: 'SCMP_CMP_EQ' }],
        },
        { names: [d.syscall], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: d.arg0, op: 'SCMP_CMP_NE' }] },
      );
  }
  const text = `${JSON.stringify({ ...profile, syscalls }, null, 1)}\n`;
  const dir = path.join(os.tmpdir(), 'instanton-bench-seccomp');
  const file = path.join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}.json`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  }
  return file;
}
