import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/results/types.js';
import { labelledContainers, waitFor } from '../support/e2e.js';
import { runArgs } from '../support/run-args.js';

const BIN = path.resolve('bin/instanton-bench.js');

const labelled = async (): Promise<string> => (await labelledContainers()).join('\n');

describe('reliability (real runs)', () => {
  it('survives Ctrl-C: exit 130 quickly, nothing left behind, finished runs kept, --resume completes the plan', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'ib-int-')), 'int.json');
    const child = execa(
      'node',
      [
        BIN,
        'run',
        '--scenario',
        'pingperf',
        '--variants',
        'cold',
        '--runs',
        '4',
        '--warmup',
        '0',
        '--no-host-speed',
        '--out',
        out,
      ],
      { reject: false },
    );
    // Interrupt in the middle of the second start.
    await waitFor(
      async () => {
        const text = await readFile(out, 'utf8').catch(() => '');
        return text.includes('"status"') && (await labelled()) !== '';
      },
      600_000,
      100,
      child,
    );
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

  it('survives Ctrl-C during a checkpoint build: exit 130, the checkpoint container removed, no checkpoint image', async () => {
    // A copy of Pingperf whose JVM options carry a unique comment: its own app image, so the
    // checkpoint is really built (not found in the cache) and can be interrupted.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-int-build-'));
    const repoScenario = path.resolve('scenarios/pingperf');
    await execa('cp', ['-r', `${repoScenario}/server.xml`, `${repoScenario}/jvm.options`, `${repoScenario}/app`, dir]);
    await execa('rm', ['-rf', path.join(dir, 'app', 'target')]);
    const jvm = await readFile(path.join(dir, 'jvm.options'), 'utf8');
    await writeFile(path.join(dir, 'jvm.options'), `${jvm}\n# interrupt test ${Date.now()}\n`);
    const scenario = JSON.parse(await readFile(path.join(repoScenario, 'scenario.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    await writeFile(path.join(dir, 'scenario.json'), JSON.stringify({ ...scenario, name: 'int-build' }));
    const images = async (): Promise<string> =>
      (
        await execa('podman', [
          'images',
          '--filter',
          'reference=localhost/instanton-bench/int-build*',
          '--format',
          '{{.Repository}}:{{.Tag}}',
        ])
      ).stdout.trim();
    try {
      const child = execa('node', [BIN, 'build', '--scenario', dir], { reject: false, all: true });
      await waitFor(
        async () =>
          (
            await execa('podman', [
              'ps',
              '--all',
              '--filter',
              'label=io.instanton-bench=checkpoint',
              '--format',
              '{{.Names}}',
            ])
          ).stdout.trim() !== '',
        600_000,
      );
      // The JVM is starting inside it; a fast host can finish a beforeAppStart checkpoint within ~3 s, so stop
      // well before that (the step under test is the checkpoint run, not the commit after it).
      await new Promise((r) => setTimeout(r, 1_000));
      const sent = Date.now();
      child.kill('SIGINT');
      const result = await child;
      expect(result.exitCode).toBe(130);
      expect(Date.now() - sent).toBeLessThan(30_000);
      expect(String(result.all)).toMatch(
        /build: interrupted \(SIGINT\) while building; removing 1 container\(s\)\. Finished build steps are cached: rerun to continue\./,
      );
      expect(await labelled()).toBe('');
      expect(await images()).not.toMatch(/int-build-instanton/); // the app image may stay; no checkpoint image
    } finally {
      const left = (await images()).split('\n').filter(Boolean);
      if (left.length > 0) await execa('podman', ['rmi', '--force', ...left], { reject: false });
    }
  });

  it('records a server that never becomes ready as timed-out, with its output', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'ib-hang-')), 'hang.json');
    const result = await execa(
      'node',
      [BIN, ...runArgs({ scenario: path.resolve('test/fixtures/scenarios/hang'), variants: 'cold', out })],
      { reject: false },
    );
    expect(result.exitCode).toBe(1);
    const results = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    expect(results.runs).toHaveLength(1);
    expect(results.runs[0]?.status).toBe('timed-out');
    expect(results.runs[0]?.error).toMatch(/no CWWKF0011I within 20000 ms/);
    expect(results.runs[0]?.outputTail?.join('\n')).toMatch(/CWWKE0001I/);
    expect(await labelled()).toBe('');
  });
});
