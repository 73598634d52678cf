import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile, RunRecord } from '../../../src/results/types.js';
import { csvPathFor, toCsv } from '../../../src/export/csv.js';
import { writeResults } from '../../../src/export/json.js';

export function fixtureRun(over: Partial<RunRecord> = {}): RunRecord {
  return {
    scenario: 'pingperf',
    variant: 'cold',
    iteration: 1,
    warmup: false,
    status: 'ok',
    launchedAt: '2026-11-21T23:00:00.000Z',
    container: 'ib-x-pingperf-cold-r1',
    image: 'localhost/instanton-bench/pingperf:abc',
    cpus: { pin: 'taskset', requested: '1', observed: '1', matches: true },
    metrics: { readyMs: 6227.4, firstResponseMs: 7029.1, rssAfterFirstResponseKb: 261000 },
    selfReported: { startedSeconds: 6.096 },
    ...over,
  };
}

function fixtureResults(runs: RunRecord[]): ResultsFile {
  return {
    kind: 'instanton-bench/results',
    schemaVersion: 1,
    tool: { name: 'instanton-bench', version: '0.0.0' },
    createdAt: '2026-11-21T23:00:00.000Z',
    updatedAt: '2026-11-21T23:00:00.000Z',
    state: 'complete',
    environment: { hostname: 'h', kernel: 'k', cpuModel: 'c', onlineCpus: '0-1', node: 'v20', images: {} },
    config: {
      scenarios: ['pingperf'],
      scenarioRefs: ['pingperf'],
      variants: ['cold'],
      runs: 1,
      warmup: 0,
      seed: 1,
      pin: 'taskset',
      serverCpus: '1',
      harnessCpus: '0',
      profile: 'local',
      restoreMode: 'least-privilege',
      strict: false,
      maxRuns: 30,
      checkpointFlow: 'run',
      order: [],
    },
    checkpoints: [],
    warnings: [],
    services: [],
    runs,
  };
}

describe('results writer', () => {
  it('writes one CSV row per run with the JSON field values', () => {
    const csv = toCsv([
      fixtureRun(),
      fixtureRun({ iteration: 2, status: 'timed-out', metrics: {}, error: 'no CWWKF0011I, "quoted"' }),
    ]);
    expect(csv).toMatchSnapshot();
  });

  it('writes JSON and CSV side by side, atomically (no temp file left)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-res-'));
    const file = path.join(dir, 'sub', 'r.json');
    await writeResults(file, fixtureResults([fixtureRun()]));
    const back = JSON.parse(await readFile(file, 'utf8')) as ResultsFile;
    expect(back.schemaVersion).toBe(1);
    expect(back.runs[0]?.metrics.readyMs).toBe(6227.4);
    expect(await readFile(csvPathFor(file), 'utf8')).toContain('pingperf,cold,1,false,ok');
    expect((await readdir(path.join(dir, 'sub'))).sort()).toEqual(['r.csv', 'r.json']);
  });
});
