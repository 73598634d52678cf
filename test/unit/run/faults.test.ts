import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import type { ResultsFile } from '../../../src/results/types.js';
import { capture } from '../../support/capture-io.js';
import { fakeWorld, recordedStarts } from '../../support/fake-engine.js';

/**
 * A full disk under --out, for real: a small tmpfs (root only; CI runs as root). The run must
 * stop with one clear line, print the start it could not write, leave the last good file and
 * no temporary file, and --resume must finish once there is space.
 */
const root = process.getuid?.() === 0;
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) execFileSync('umount', [m]);
});

describe.runIf(root)('a full disk under --out', () => {
  it('loses no start: exit 3, the start printed, the last good file kept, no .tmp, and --resume completes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-full-'));
    const full = path.join(dir, 'full');
    await mkdir(full);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48k', 'tmpfs', full]);
    mounts.push(full);
    const out = path.join(full, 'r.json');
    const io = capture(dir);
    const code = await runCli(
      ['run', '--scenario', 'pingperf', '--warmup', '0', '--runs', '4', '--out', out],
      io,
      fakeWorld(recordedStarts),
    );
    expect(code).toBe(3);
    expect(io.text()).toMatch(
      /error\[E_WRITE\]: cannot write .*r\.json: ENOSPC \([\d.]+ KiB free there, [\d.]+ KiB needed\)/,
    );
    expect(io.text()).toMatch(
      /this start is not in .*r\.json \(the write failed\); its record: \{"scenario":"pingperf"/,
    );
    expect(io.text()).not.toMatch(/\n\s+at /); // no stack trace
    expect((await readdir(full)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const kept = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    expect(kept.runs.length).toBeGreaterThan(0);
    expect(kept.runs.length).toBeLessThan(12);
    // Space again (another directory): the run goes on where the file ends.
    const roomy = path.join(dir, 'r.json');
    await copyFile(out, roomy);
    const resumed = capture(dir);
    expect(await runCli(['run', '--resume', roomy], resumed, fakeWorld(recordedStarts))).toBe(0);
    const done = JSON.parse(await readFile(roomy, 'utf8')) as ResultsFile;
    expect(done.state).toBe('complete');
    expect(done.runs).toHaveLength(12);
  });
});
