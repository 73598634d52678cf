import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import type { CliIo } from '../../../src/core/io.js';

function captureIo(): CliIo & { outText: () => string; errText: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    cwd: '/tmp',
    env: {},
    interactive: false,
    outText: () => out.join('\n'),
    errText: () => err.join('\n'),
  };
}

describe('runCli', () => {
  it('prints the usage with every command', async () => {
    const io = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.outText()).toMatchSnapshot();
  });

  it('exits 2 on an unknown command', async () => {
    const io = captureIo();
    expect(await runCli(['sprint'], io)).toBe(2);
    expect(io.errText()).toContain("unknown command 'sprint'");
  });

  it('exits 2 with a one-line reason and a fix on bad run input', async () => {
    const io = captureIo();
    expect(await runCli(['run', '--runs', '0'], io)).toBe(2);
    expect(io.errText()).toBe(
      'error[E_USAGE]: --runs 0: must be between 1 and 10000\n  fix: pass --runs N with 1 <= N <= 10000',
    );
  });

  it('exits 2 on an unknown scenario before building anything', async () => {
    const io = captureIo();
    expect(await runCli(['run', '--scenario', 'nope'], io)).toBe(2);
    expect(io.errText()).toMatch(/^error\[E_SCENARIO\]: unknown scenario "nope"/);
  });
});
