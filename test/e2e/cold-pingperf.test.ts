import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { ResultsFile } from '../../src/results/types.js';
import { passThrough } from '../support/capture-io.js';

/**
 * End to end, for real: build the Pingperf images (Debian sid base, Open Liberty from
 * Maven Central, the Maven-built app) and measure two pinned cold starts in podman.
 */
describe('pingperf cold starts (real podman, real Liberty)', () => {
  it('measures two pinned cold starts and leaves no container behind', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'ib-e2e-')), 'cold.json');
    const code = await runCli(
      ['run', '--scenario', 'pingperf', '--variants', 'cold', '--runs', '2', '--warmup', '0', '--out', out],
      passThrough(),
    );
    expect(code).toBe(0);
    const results = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    expect(results.schemaVersion).toBe(1);
    expect(results.state).toBe('complete');
    const runs = results.runs.filter((r) => !r.warmup);
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      expect(run.status).toBe('ok');
      expect(run.metrics.readyMs).toBeGreaterThan(0);
      expect(run.metrics.firstResponseMs).toBeGreaterThan(run.metrics.readyMs ?? Infinity);
      expect(run.metrics.rssAfterFirstResponseKb).toBeGreaterThan(10_000);
      expect(run.cpus.observed).toBe(run.cpus.requested);
      expect(run.firstResponse?.bodySample).toContain('Hello, World!');
      expect(run.selfReported.startedSeconds).toBeGreaterThan(0);
    }
    const left = await execa('podman', [
      'ps',
      '--all',
      '--filter',
      'label=io.instanton-bench=run',
      '--format',
      '{{.Names}}',
    ]);
    expect(left.stdout.trim()).toBe('');
    expect(await readFile(out.replace(/\.json$/, '.csv'), 'utf8')).toMatch(/^scenario,variant,iteration,warmup,status/);
  });

  it('runs a scenario defined in a directory outside the repository', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-ext-'));
    const repoScenario = path.resolve('scenarios/pingperf');
    await execa('cp', ['-r', `${repoScenario}/server.xml`, `${repoScenario}/jvm.options`, `${repoScenario}/app`, dir]);
    await execa('rm', ['-rf', path.join(dir, 'app', 'target')]);
    const scenario = JSON.parse(await readFile(path.join(repoScenario, 'scenario.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(path.join(dir, 'scenario.json'), JSON.stringify({ ...scenario, name: 'external-ping' })),
    );
    const out = path.join(dir, 'ext.json');
    const code = await runCli(
      ['run', '--scenario', dir, '--runs', '1', '--warmup', '0', '--no-host-speed', '--out', out],
      passThrough(),
    );
    expect(code).toBe(0);
    const results = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    // Default variants: cold and both InstantOn phases, each checkpointed and restored for real.
    expect(results.runs.map((r) => [r.scenario, r.status]).sort()).toEqual([
      ['external-ping', 'ok'],
      ['external-ping', 'ok'],
      ['external-ping', 'ok'],
    ]);
    expect(results.runs.filter((r) => r.variant !== 'cold').every((r) => r.restore?.verified === true)).toBe(true);
  });
});
