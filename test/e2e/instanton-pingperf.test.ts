import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { median } from 'simple-statistics';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { readHostLimits, resolveEngineFlags } from '../../src/engine/host-flags.js';
import { Podman } from '../../src/engine/podman.js';
import { measureInstantOnStart } from '../../src/measure/instanton-start.js';
import type { ResultsFile } from '../../src/results/types.js';
import { loadScenario } from '../../src/scenario/load.js';
import { analyze } from '../../src/stats/analyze.js';
import { alteredImage } from '../support/e2e.js';
import { passThrough } from '../support/capture-io.js';
import { runArgs } from '../support/run-args.js';

const DAMAGED = 'localhost/instanton-bench/e2e-damaged-checkpoint:latest';

/** Remove one process's core image from a checkpoint, keeping the image's entrypoint. */
async function damageCheckpoint(podman: Podman, tag: string): Promise<void> {
  await alteredImage(podman, tag, DAMAGED, [
    'sh',
    '-c',
    'cd /opt/ol/wlp/output/defaultServer/workarea/checkpoint/image && rm -f "$(ls core-*.img | head -n 1)"',
  ]);
}

describe('pingperf InstantOn (real CRIU checkpoints of Liberty on HotSpot)', () => {
  let results: ResultsFile | undefined;

  afterAll(async () => {
    await execa('podman', ['rmi', '--force', DAMAGED], { reject: false });
  });

  it('restores every phase for real, verified, and afterAppStart is far faster than cold', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'ib-e2e-')), 'instanton.json');
    const code = await runCli(
      runArgs({ scenario: 'pingperf', variants: 'cold,beforeAppStart,afterAppStart', out }),
      passThrough(),
    );
    expect(code).toBe(0);
    results = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    expect(results.checkpoints.map((c) => c.phase).sort()).toEqual(['afterAppStart', 'beforeAppStart']);
    for (const run of results.runs) {
      expect(run.status).toBe('ok');
      if (run.variant === 'cold') {
        expect(run.restore).toBeUndefined();
      } else {
        expect(run.restore?.verified).toBe(true);
        expect(run.restore?.mode).toBe('least-privilege');
        expect(run.restore?.evidence[0]).toMatch(/CWWKC0452I/);
        expect(run.metrics.restoreStartedMs).toBeGreaterThan(0);
      }
    }
    // The timeline of every start: marks in order, adding up to the first response; restores carry CRIU's own figures.
    for (const run of results.runs) {
      const marks = run.timeline?.marks ?? [];
      expect(marks.every((m, i) => i === 0 || m.atMs >= (marks[i - 1]?.atMs ?? 0))).toBe(true);
      expect(Math.abs((marks.at(-1)?.atMs ?? 0) - (run.metrics.firstResponseMs ?? -1))).toBeLessThan(1);
      expect(marks.map((m) => m.mark)).toEqual(
        expect.arrayContaining(['launch', 'containerStarted', 'entrypoint', 'ready', 'firstResponse']),
      );
      if (run.variant === 'cold')
        expect(marks.map((m) => m.mark)).toEqual(expect.arrayContaining(['jvmLaunched', 'kernelStarted']));
      else {
        expect(marks.map((m) => m.mark)).toEqual(expect.arrayContaining(['restoreStarted', 'criuRestored', 'resumed']));
        expect(run.timeline?.criuRestore?.restoreMs).toBeGreaterThan(0);
        expect(run.timeline?.criuRestore?.pagesRestored).toBeGreaterThan(1000);
      }
      expect(run.harness?.teardownMs).toBeGreaterThan(0);
    }
    expect(results.runs.slice(1).every((r) => (r.harness?.sincePreviousMs ?? -1) >= 0)).toBe(true);
    for (const ck of results.checkpoints) {
      expect(ck.contents?.processes).toBeGreaterThan(0);
      expect(ck.contents?.memoryBytes).toBeGreaterThan(50 * 1024 ** 2);
      expect(ck.contents?.files.regular).toBeGreaterThan(10);
    }
    const ready = (variant: string): number =>
      median(results!.runs.filter((r) => r.variant === variant).map((r) => r.metrics.readyMs ?? Number.NaN));
    // A wide margin, not a timing: a real restore skips the whole Liberty start.
    expect(ready('afterAppStart')).toBeLessThan(ready('cold') / 2);
  });

  it('a second run with every image cached starts its first container without a probe container', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'ib-e2e-')), 'cached.json');
    const since = new Date(Date.now() - 1000).toISOString();
    const started = Date.now();
    const code = await runCli(
      ['run', '--scenario', 'pingperf', '--variants', 'afterAppStart', '--runs', '1', '--warmup', '0', '--out', out],
      passThrough(),
    );
    expect(code).toBe(0);
    const events = await execa('podman', [
      'events',
      '--stream=false',
      '--since',
      since,
      '--filter',
      'event=create',
      '--format',
      '{{.Name}}',
    ]);
    const created = events.stdout.split('\n').filter((n) => n.startsWith('ib-'));
    // The probes' containers are named ib-probe-... and ib-fingerprint-...; a measured start ib-SESSION-pingperf-...
    expect(created[0]).toMatch(/^ib-[0-9a-f]+-pingperf-afterappstart-r1$/);
    expect(created.filter((n) => /^ib-(probe|fingerprint)-/.test(n))).toEqual([]);
    const cached = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    expect(cached.runs[0]?.restore?.verified).toBe(true);
    // Read back, not guessed: the image fingerprint is the one the first run probed.
    expect(cached.environment.images.pingperf?.jdk).toBe(results?.environment.images.pingperf?.jdk);
    expect(cached.environment.hostSpeed?.index).toBeGreaterThan(0);
    process.stderr.write(`e2e: the cached run's preparation and one start took ${Date.now() - started} ms\n`);
  });

  it('also makes checkpoint images with the RUN checkpoint.sh PHASE build flow', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'ib-e2e-')), 'built.json');
    const code = await runCli(
      runArgs({ scenario: 'pingperf', variants: 'afterAppStart', extra: ['--checkpoint-flow', 'build'], out }),
      passThrough(),
    );
    expect(code).toBe(0);
    const built = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    expect(built.checkpoints[0]?.image).toMatch(/pingperf-instanton-afterappstart-built:/);
    expect(built.runs[0]?.status).toBe('ok');
    expect(built.runs[0]?.restore?.verified).toBe(true);
  });

  it('detects a damaged checkpoint as a fallback and never counts it', async () => {
    const after = results?.checkpoints.find((c) => c.phase === 'afterAppStart');
    expect(after).toBeDefined();
    const podman = new Podman(resolveEngineFlags(await readHostLimits()));
    await damageCheckpoint(podman, after!.image);
    const scenario = await loadScenario('pingperf', process.cwd());
    const record = await measureInstantOnStart(
      podman,
      {
        scenario,
        variant: 'afterAppStart',
        iteration: 1,
        warmup: false,
        image: DAMAGED,
        sessionId: 'e2edmg',
        pin: 'taskset',
        serverCpus: results!.config.serverCpus,
        readyTimeoutMs: 180_000,
      },
      { mode: 'least-privilege', strict: false },
    );
    // Liberty fell back to a normal start (CWWKF0011I was printed), and the harness saw through it.
    expect(record.metrics.readyMs).toBeGreaterThan(0);
    expect(record.status).toBe('fallback');
    expect(record.restore?.verified).toBe(false);
    expect(record.restore?.failure).toBe('fallback');
    expect(record.restore?.evidence.join('\n')).toMatch(/CWWKE0961I/);
    expect(record.restore?.restoreLog).toMatch(/Restoring FAILED/);
    const [group] = analyze({ ...(results as NonNullable<typeof results>), runs: [record] }).groups;
    expect(group).toMatchObject({ ok: 0, attempted: 1, fallback: 1 });
    expect(group?.metrics.readyMs).toBeUndefined();
  });
});
