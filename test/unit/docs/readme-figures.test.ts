import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../../src/results/types.js';
import { compareArms } from '../../../src/stats/compare-arms.js';

/**
 * Figures the README states, recomputed from the committed files they come from: a README that
 * drifts from its evidence fails here (the timings themselves are not re-measured).
 */
const readme = readFileSync(path.resolve('README.md'), 'utf8').replace(/\s+/g, ' ');
const json = <T>(file: string): T => JSON.parse(readFileSync(path.resolve(file), 'utf8')) as T;

describe('README figures match the committed files', () => {
  it("the sequential gate's table is the committed benchmark output, row for row", () => {
    const { rows } = json<{
      rows: Array<{
        source: string;
        change: number | string;
        variant: string;
        share: number;
        gates: number;
        medianRounds: number;
        p90Rounds: number;
      }>;
    }>('results/reference/sequential-error-rates.json');
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows) {
      const noise = r.source.startsWith('real (')
        ? 'real'
        : r.source.startsWith('real slowdown')
          ? 'real, slowed arm'
          : 'simulated';
      const change =
        r.change === 1 ? '0' : typeof r.change === 'number' ? `+${Math.round((r.change - 1) * 100)}%` : r.change;
      const line = `| ${noise} | ${change} | ${r.variant} | ${Math.round(r.share * r.gates)}/${r.gates} | ${r.medianRounds} | ${r.p90Rounds} |`;
      expect(readme, line).toContain(line);
    }
  });

  it('the A/A reference run has the starts and rounds the README gives', () => {
    const aa = json<ResultsFile>('results/reference/aa-pingperf.json');
    expect(readme).toContain(
      `a 40-round A/A run (two arms of the same build, \`results/reference/aa-pingperf.json\`, ${aa.runs.length} starts incl. warm-ups`,
    );
    expect(Math.max(...aa.runs.map((r) => r.iteration))).toBe(40);
  });

  it("the slowed arm's readyMs ratios and intervals are what compare computes from its file", () => {
    const slow = json<ResultsFile>('results/reference/slow-pingperf.json');
    const rows = compareArms(slow, { thresholdPct: 5, metrics: ['readyMs'], seed: 1 });
    const r = (v: string) => rows.find((x) => x.variant === v);
    const f2 = (x: number | undefined) => (x ?? NaN).toFixed(2);
    const [c, b, a] = [r('cold'), r('beforeAppStart'), r('afterAppStart')];
    expect(readme).toContain(`readyMs ratios ${f2(c?.ratio)} cold, ${f2(b?.ratio)} beforeAppStart, ${f2(a?.ratio)}`);
    expect(readme).toContain(
      `paired 95% intervals ${f2(c?.ratioCi.low)}–${f2(c?.ratioCi.high)}, ${f2(b?.ratioCi.low)}–${f2(b?.ratioCi.high)}, ${f2(a?.ratioCi.low)}–${f2(a?.ratioCi.high)}`,
    );
  });
});
