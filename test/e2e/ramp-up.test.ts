import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureReal as capture } from '../support/capture-io.js';
import { runCli } from '../../src/cli/main.js';
import type { ResultsFile } from '../../src/results/types.js';
import { runArgs } from '../support/run-args.js';

describe('ramp-up after the start (real Liberty, real load with autocannon)', () => {
  it('loads every start after its first response, with every response checked, and plan uses the measured service time', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'ib-e2e-')), 'ramp.json');
    expect(
      await runCli(
        runArgs({ scenario: 'pingperf', variants: 'cold,afterAppStart', extra: ['--ramp-up', '5'], out }),
        capture(),
      ),
    ).toBe(0);
    const r = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    for (const run of r.runs) {
      expect(run.status).toBe('ok');
      expect(run.rampUp?.errors).toBe(0);
      expect(run.rampUp?.requests).toBeGreaterThan(100);
      // per-second buckets cover the whole load (at least the 4 full seconds of 5)
      const full = (run.rampUp?.buckets ?? []).filter(
        (b) =>
          b.second * 1000 >= (run.rampUp?.loadStartMs ?? 0) && (b.second + 1) * 1000 <= (run.rampUp?.loadEndMs ?? 0),
      );
      expect(full.length).toBeGreaterThanOrEqual(4);
      expect(run.metrics.rssUnderLoadKb).toBeGreaterThan(50_000);
    }
    const plan = capture();
    expect(await runCli(['plan', out], plan)).toBe(0);
    expect(plan.text()).toMatch(/pingperf\/cold: service [\d.]+ ms per request at concurrency 4, measured/);
  });
});
