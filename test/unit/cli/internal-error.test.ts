import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { capture } from '../../support/capture-io.js';
import { fakeWorld } from '../../support/fake-engine.js';

describe('a fault inside the tool', () => {
  it('is one line without a stack (exit 3), the stack only with IB_DEBUG=1', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-internal-'));
    const broken = fakeWorld(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    });
    const io = capture(dir);
    const args = ['run', '--scenario', 'pingperf', '--variants', 'cold', '--runs', '1', '--warmup', '0'];
    const code = await runCli([...args, '--out', path.join(dir, 'a.json')], io, broken);
    expect(code).toBe(3);
    const last = io.lines.filter((l) => l.trim() !== '').at(-1) ?? '';
    expect(last).toMatch(
      /^internal error: Cannot read properties of undefined \(reading 'x'\) \(a fault in instanton-bench/,
    );
    expect(io.text()).not.toMatch(/\n\s+at /);
    const debug = { ...capture(dir), env: { ...capture(dir).env, IB_DEBUG: '1' } };
    const lines: string[] = [];
    const withDebug = { ...debug, err: (t: string) => lines.push(t), out: (t: string) => lines.push(t) };
    expect(await runCli([...args, '--out', path.join(dir, 'b.json')], withDebug, broken)).toBe(3);
    expect(lines.join('\n')).toMatch(/\n\s+at /);
  });
});
