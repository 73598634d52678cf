import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/report/results-types.js';

const BIN = path.resolve('bin/instanton-bench.js');

async function labelled(): Promise<string> {
  return (await execa('podman', ['ps', '--all', '--filter', 'label=io.instanton-bench', '--format', '{{.Names}}'])).stdout.trim();
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('condition not met in time');
}

describe('reliability (real runs)', () => {
  it('survives Ctrl-C: exit 130 quickly, nothing left behind, finished runs kept, --resume completes the plan', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'ib-int-')), 'int.json');
    const child = execa('node', [BIN, 'run', '--scenario', 'pingperf', '--variants', 'cold', '--runs', '4', '--warmup', '0', '--out', out], { reject: false });
    // Interrupt in the middle of the second start.
    await waitFor(async () => {
      const text = await readFile(out, 'utf8').catch(() => '');
      return text.includes('"status"') && (await labelled()) !== '';
    }, 600_000);
    const sent = Date.now();
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(Date.now() - sent).toBeLessThan(30_000);
    expect(await labelled()).toBe('');
    const partial = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    expect(partial.state).toBe('interrupted');
    expect(partial.runs.length).toBeGreaterThanOrEqual(1);
    expect(partial.runs.length).toBeLessThan(4);
    expect(partial.runs.every((r) => r.status === 'ok')).toBe(true);

    const resumed = await execa('node', [BIN, 'run', '--resume', out], { reject: false });
    expect(resumed.exitCode).toBe(0);
    const done = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    expect(done.state).toBe('complete');
    expect(done.runs.map((r) => r.iteration).sort()).toEqual([1, 2, 3, 4]);
    expect(done.config.seed).toBe(partial.config.seed);
  });

  it('records a server that never becomes ready as timed-out, with its output', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'ib-hang-')), 'hang.json');
    const result = await execa('node', [BIN, 'run', '--scenario', path.resolve('test/fixtures/scenarios/hang'), '--variants', 'cold', '--runs', '1', '--warmup', '0', '--out', out], { reject: false });
    expect(result.exitCode).toBe(1);
    const results = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    expect(results.runs).toHaveLength(1);
    expect(results.runs[0]?.status).toBe('timed-out');
    expect(results.runs[0]?.error).toMatch(/no CWWKF0011I within 20000 ms/);
    expect(results.runs[0]?.outputTail?.join('\n')).toMatch(/CWWKE0001I/);
    expect(await labelled()).toBe('');
  });
});
