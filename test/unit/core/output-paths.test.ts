import { mkdtemp, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_USAGE, type BenchError } from '../../../src/core/errors.js';
import { checkOutputDir, checkOutputFile, makeDirs } from '../../../src/core/output-paths.js';

const failure = (p: Promise<unknown>): Promise<BenchError> =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as BenchError,
  );

describe('output paths', () => {
  it('makes missing directories one level at a time', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'ib-dirs-'));
    await makeDirs(path.join(root, 'a', 'b', 'c'));
    expect((await stat(path.join(root, 'a', 'b', 'c'))).isDirectory()).toBe(true);
    await makeDirs(path.join(root, 'a', 'b', 'c'));
  });

  it('a path under /proc fails at once with exit 2 (a recursive mkdir there never returns)', async () => {
    const dir = await failure(checkOutputDir('--out', '/proc/ib-report/charts'));
    expect(dir.exitCode).toBe(EXIT_USAGE);
    expect(dir.message).toContain('--out /proc/ib-report/charts: cannot write there');
    const file = await failure(checkOutputFile('--json', '/proc/ib-compare/x/verdict.json'));
    expect(file.exitCode).toBe(EXIT_USAGE);
  });
});
