import { mkdir, mkdtemp, readdir, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { capture } from '../../support/capture-io.js';

const FIXTURE = path.resolve('test/fixtures/results/pingperf-3-variants.json');

describe('report --out on a full disk', () => {
  it("is the machine's fault (exit 3), says so in one line, and removes the files it had written", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-full-'));
    const out = path.join(dir, 'rep');
    await mkdir(out);
    // /dev/full answers every write with ENOSPC: summary.md, written after every chart, meets a "full disk".
    await symlink('/dev/full', path.join(out, 'summary.md'));
    await writeFile(path.join(out, 'notes.txt'), 'the user’s own file');
    const io = capture(dir);
    expect(await runCli(['report', FIXTURE, '--out', out], io)).toBe(3);
    const text = io.text();
    expect(text).toMatch(
      /--out .*summary\.md: cannot write \(ENOSPC: the disk is full\); the \d+ file\(s\) this report had written are removed/,
    );
    expect(text).toMatch(/free space on the filesystem of/);
    expect(text).not.toMatch(/\n\s+at /);
    // Only what was there before: no chart of the failed report beside it.
    expect((await readdir(out)).sort()).toEqual(['notes.txt']);
  });

  it('a path that cannot be written stays bad input (exit 2)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-full-'));
    const out = path.join(dir, 'rep');
    await mkdir(out);
    await mkdir(path.join(out, 'summary.md'));
    const io = capture(dir);
    expect(await runCli(['report', FIXTURE, '--out', out], io)).toBe(2);
    expect(io.text()).toMatch(/summary\.md: cannot write \(EISDIR\)/);
  });
});
