import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { ResultsFile } from '../../src/results/types.js';
import { passThrough } from '../support/capture-io.js';
import { runArgs } from '../support/run-args.js';

describe('Rest CRUD (real PostgreSQL) and AcmeAir Main, every variant', () => {
  it('measures both scenarios in all variants, verified, interleaved, and cleans up', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'ib-trio-')), 'trio.json');
    const code = await runCli(
      runArgs({ scenario: ['rest-crud', 'acmeair-main'], variants: 'cold,beforeAppStart,afterAppStart', out }),
      passThrough(),
    );
    expect(code).toBe(0);
    const results = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    expect(results.runs).toHaveLength(6);
    for (const run of results.runs) {
      expect(run.status).toBe('ok');
      if (run.variant !== 'cold') expect(run.restore?.verified).toBe(true);
    }
    // The first response of Rest CRUD read the seeded rows from PostgreSQL.
    for (const run of results.runs.filter((r) => r.scenario === 'rest-crud')) {
      expect(run.firstResponse?.bodySample).toMatch(/Apple.*Banana.*Cherry/);
    }
    expect(results.services).toEqual([
      expect.objectContaining({ alias: 'ib-postgres', cpus: results.config.harnessCpus }),
    ]);
    // Variants interleaved in a seeded order: every round holds every pair once.
    const firstRound = results.config.order.slice(0, 6).map((p) => `${p.scenario}/${p.variant}`);
    expect(new Set(firstRound).size).toBe(6);
    const left = await execa('podman', [
      'ps',
      '--all',
      '--filter',
      'label=io.instanton-bench',
      '--format',
      '{{.Names}}',
    ]);
    expect(left.stdout.trim()).toBe('');
  });
});
