import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../../src/results/types.js';
import { parseStealMs, readStealMs } from '../../../src/measure/cpu-steal.js';
import { findSuspects } from '../../../src/stats/summary.js';

const STAT = `cpu  968907 453 116926 1414767 4936 0 6992 5273 0 0
cpu0 361146 139 55208 833543 2862 0 3414 3260 0 0
cpu1 607760 313 61717 581224 2074 0 3577 2013 0 0
intr 1 2 3
`;

describe('steal time of the server CPUs', () => {
  it('reads the 8th field of the cpuN lines, in ms (USER_HZ 100)', () => {
    expect(parseStealMs(STAT, [1])).toBe(20_130);
    expect(parseStealMs(STAT, [0, 1])).toBe(52_730);
    expect(parseStealMs(STAT, [2])).toBeUndefined();
    expect(parseStealMs('cpu1 1 2 3\n', [1])).toBeUndefined();
  });

  it("reads this machine's /proc/stat", async () => {
    expect(await readStealMs([0])).toBeGreaterThanOrEqual(0);
    expect(await readStealMs([0], '/nonexistent')).toBeUndefined();
  });

  it('names a start that lost a real share of its CPU to the hypervisor, and only that one', () => {
    const f = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../fixtures/results/pingperf-3-variants.json'), 'utf8'),
    ) as ResultsFile;
    const measured = f.runs.filter((r) => !r.warmup && r.status === 'ok');
    const [hit, small] = measured;
    const runs = f.runs.map((r) => {
      if (r === hit)
        return { ...r, metrics: { ...r.metrics, serverCpuStealMs: 0.2 * (r.metrics.firstResponseMs as number) } };
      if (r === small) return { ...r, metrics: { ...r.metrics, serverCpuStealMs: 10 } };
      return r;
    });
    const host = findSuspects(runs).filter((w) => w.startsWith('host contention'));
    expect(host).toHaveLength(1);
    expect(host[0]).toMatch(
      new RegExp(
        `^host contention: pingperf ${hit?.variant} run ${hit?.iteration}: the hypervisor took [\\d.]+ ms of the server CPU\\(s\\) \\(steal\\)`,
      ),
    );
  });
});
