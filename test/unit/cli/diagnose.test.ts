import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { capture } from '../../support/capture-io.js';

describe('diagnose of a directory of logs', () => {
  it('a CRIU error no signature knows: the telling lines and exit 1, never "nothing to explain"', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-diagnose-'));
    await writeFile(
      path.join(dir, 'restore.log'),
      '(00.001) Restoring\n(00.120) Error (criu/cr-restore.c:1234): a failure no one has seen before\n(00.121) Restore failed\n',
    );
    const io = capture(dir);
    const code = await runCli(['diagnose', dir], io);
    expect(code).toBe(1);
    expect(io.text()).toContain('a failure no one has seen before');
    expect(io.text()).not.toContain('nothing to explain');
  });
});

describe('diagnose --json', () => {
  it('gives each case with its findings (signature id, cause, remedy, evidence) and the same exit code', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-diagnose-'));
    await writeFile(
      path.join(dir, 'restore.log'),
      "(00.001) Restoring\n(00.120) Error (criu/cr-restore.c:1075): Can't open -1/sys/kernel/ns_last_pid on procfs: Read-only file system\n",
    );
    const out: string[] = [];
    const io = { ...capture(dir), out: (t: string) => out.push(t) };
    expect(await runCli(['diagnose', dir, '--json'], io)).toBe(1);
    const doc = JSON.parse(out.join('\n')) as {
      kind: string;
      cases: Array<{ findings: Array<{ id: string; evidence: string[] }> }>;
    };
    expect(doc.kind).toBe('instanton-bench-diagnosis');
    expect(doc.cases[0]?.findings.map((f) => f.id)).toEqual(['ns-last-pid']);
    expect(doc.cases[0]?.findings[0]?.evidence[0]).toMatch(/ns_last_pid on procfs: Read-only/);
  });
});
