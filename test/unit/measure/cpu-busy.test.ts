import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../../src/results/types.js';
import { processCpuMs, readBusyMs } from '../../../src/measure/cpu-busy.js';
import { parseBusyMs, harnessCpuTime, harnessOtherSince } from '../../../src/measure/cpu-steal.js';
import { findSuspects } from '../../../src/stats/summary.js';

const STAT = `cpu  968907 453 116926 1414767 4936 0 6992 5273 0 0
cpu0 361146 139 55208 833543 2862 0 3414 3260 0 0
cpu1 607760 313 61717 581224 2074 10 3577 2013 0 0
`;

describe('CPU time that was not the start own', () => {
  it('sums user, nice, system, irq and softirq of the named CPUs, in ms', () => {
    // cpu1: 607760 + 313 + 61717 + 10 + 3577 = 673377 ticks
    expect(parseBusyMs(STAT, [1])).toBe(6_733_770);
    expect(parseBusyMs(STAT, [2])).toBeUndefined();
  });

  it('reads this machine and this process', async () => {
    expect(await readBusyMs([0])).toBeGreaterThan(0);
    expect(await processCpuMs(process.pid)).toBeGreaterThan(0);
    expect(await processCpuMs(undefined)).toBeUndefined();
  });

  it('names a start that lost a large share of the server CPU to foreign processes, and no other', () => {
    const base = JSON.parse(
      readFileSync(path.resolve('test/fixtures/results/pingperf-3-variants.json'), 'utf8'),
    ) as ResultsFile;
    const runs = base.runs
      .filter((r) => !r.warmup)
      .map((r, i) => ({ ...r, metrics: { ...r.metrics, serverCpuForeignMs: i === 0 ? 2_500 : 120 } }));
    const named = findSuspects(runs).filter((w) => w.startsWith('foreign load'));
    expect(named).toHaveLength(1);
    expect(named[0]).toMatch(
      /^foreign load: pingperf \w+ run \d+: 2500 ms of the server CPU\(s\) in its [\d.]+ ms went to processes that were not this start's/,
    );
  });

  it("names a start whose harness CPUs a neighbour kept busy, against the run's own median, and no other", () => {
    const base = JSON.parse(
      readFileSync(path.resolve('test/fixtures/results/pingperf-3-variants.json'), 'utf8'),
    ) as ResultsFile;
    const runs = base.runs
      .filter((r) => !r.warmup)
      .map((r, i) => ({ ...r, metrics: { ...r.metrics, harnessCpuOtherMs: i === 1 ? 1_900 : 300 + i } }));
    const named = findSuspects(runs).filter((w) => w.startsWith('harness load'));
    expect(named).toHaveLength(1);
    expect(named[0]).toMatch(
      /^harness load: pingperf \w+ run \d+: other processes took 1900 ms of the harness CPU\(s\) during it, against 30\d ms/,
    );
    // podman, conmon and runc alone (every start alike): nothing named.
    const quiet = runs.map((r) => ({ ...r, metrics: { ...r.metrics, harnessCpuOtherMs: 350 } }));
    expect(findSuspects(quiet).filter((w) => w.startsWith('harness load'))).toEqual([]);
  });

  it("counts the harness CPUs' busy time less this process's own", async () => {
    const before = await harnessCpuTime([1]);
    expect(before?.busyMs).toBeGreaterThan(0);
    expect(harnessOtherSince({ busyMs: 1000, ownMs: 200 }, { busyMs: 1600, ownMs: 500 })).toBe(300);
    expect(harnessOtherSince({ busyMs: 1000, ownMs: 200 }, { busyMs: 1100, ownMs: 400 })).toBe(0);
    expect(harnessOtherSince(undefined, before)).toBeUndefined();
  });
});
