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
