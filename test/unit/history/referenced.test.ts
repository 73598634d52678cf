import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { pickSeries } from '../../../src/history/load.js';
import { confirmArms } from '../../../src/history/confirm.js';
import { trendOf } from '../../../src/history/trend.js';
import { trendLines } from '../../../src/history/trend-text.js';
import type { ResultsFile, RunRecord } from '../../../src/results/types.js';
import type { StoredSeries } from '../../../src/store/read.js';
import { REFERENCED_HOST_CLASS, storedRunOf, type StoredRun } from '../../../src/store/record.js';
import { seriesOfRuns } from '../../support/stored-series.js';

/**
 * A drifting host, for real: ten Pingperf cold builds made one a minute on a fresh AMD VM with a neighbour
 * (test/fixtures/history-fresh-amd-vm: primed builds 1-6 drifted 11.6 -> 7.8 s, builds 7-10 clean). Each build is
 * turned into a run of two arms measured round by round: the reference is the build's own start of that round, the
 * candidate the build's next start (its spread within the build is the pairing noise), 10% slower from build 7 on.
 * What moved the host moved both arms: the referenced trend names build 7 alone; the absolute one cannot tell the
 * candidate's step from the host's drift.
 */
const OPTIONS = { alpha: 0.04, thresholdPct: 5, seed: 1, minSize: 2 };
const fixture = async (n: number): Promise<ResultsFile> =>
  JSON.parse(
    await readFile(new URL(`../../fixtures/history-fresh-amd-vm/build-${n}.json`, import.meta.url), 'utf8'),
  ) as ResultsFile;

function pairedRun(real: ResultsFile, n: number, candidateRatio: number): ResultsFile {
  const measured = real.runs.filter((r) => !r.warmup && r.status === 'ok');
  const runs: RunRecord[] = measured.flatMap((r, k) => {
    const next = measured[(k + 1) % measured.length] as RunRecord;
    const scale = (m: RunRecord['metrics'], f: number): RunRecord['metrics'] =>
      Object.fromEntries(Object.entries(m).map(([key, v]) => [key, typeof v === 'number' ? v * f : v])) as never;
    return [
      { ...r, arm: 'ref', iteration: k + 1 },
      { ...next, arm: 'build', iteration: k + 1, metrics: scale(next.metrics, candidateRatio) },
    ];
  });
  return {
    ...real,
    config: {
      ...real.config,
      arms: [
        { name: 'ref', env: {} },
        { name: 'build', env: {}, ...(n >= 7 ? { cpus: 0.5 } : {}) },
      ],
      reference: 'ref',
    },
    runs,
  };
}

const seriesOf = (runs: readonly StoredRun[]): StoredSeries[] => seriesOfRuns(runs);

describe('a trend beside a reference arm', () => {
  it('on the drifting AMD builds: the paired ratios name build 7 alone; the absolute figures find nothing there', async () => {
    const runs: StoredRun[] = [];
    for (let n = 1; n <= 10; n += 1)
      runs.push(storedRunOf(pairedRun(await fixture(n), n, n >= 7 ? 1.1 : 1), { build: String(n) }));
    const all = seriesOf(runs);
    const referenced = pickSeries(all, false);
    expect(referenced.map((s) => [s.arm, s.hostClass])).toEqual([['build/ref', REFERENCED_HOST_CLASS]]);
    const trend = trendOf(referenced, OPTIONS);
    expect(trend.changePoints.map((c) => c.build)).toEqual(['7']);
    const change = trend.changePoints[0]!;
    expect(change.ratio).toBeGreaterThan(1.05);
    expect(change.ratio).toBeLessThan(1.15);
    expect(trendLines(trend)[0]).toMatch(/x the reference -> [\d.]+x the reference/);
    // The candidate's recorded keys coincide with the change, and history confirm reproduces them.
    expect(change.coincides.join('; ')).toMatch(/arm build/);
    const series = trend.series[0]!;
    const arms = confirmArms(change, series.builds[5]!, series.builds[6]!);
    expect(arms.after).toBe('after:cold-state=clean,cpus=0.5');
    expect(arms.before).toBe('before:cold-state=primed');

    // The absolute series of the candidate (the host's drift and the clean state in it): no change at build 7.
    const absolute = pickSeries(all, true).filter((s) => s.arm === 'build');
    expect(absolute.every((s) => s.hostClass !== REFERENCED_HOST_CLASS)).toBe(true);
    const raw = trendOf(absolute, OPTIONS);
    expect(raw.changePoints.filter((c) => c.build === '7')).toEqual([]);
  });

  it('the absolute series of the drifting AMD builds as they were measured marks builds 1 and 2, made on the slower host', async () => {
    const runs: StoredRun[] = [];
    for (let n = 1; n <= 10; n += 1) runs.push(storedRunOf(await fixture(n), { build: String(n) }));
    const trend = trendOf(pickSeries(seriesOf(runs), false), OPTIONS);
    const s = trend.series[0]!;
    expect(s.hostClass).not.toBe(REFERENCED_HOST_CLASS);
    expect(s.builds.map((b) => b.hostSpeedIndex)).toEqual([34, 33, 49, 46, 40, 46, 48, 42, 42, 46]);
    expect(s.builds.filter((b) => b.hostOffBand).map((b) => b.name)).toEqual(['1', '2']);
    expect(trendLines(trend).join('\n')).toMatch(
      /off the series' band \(host speed index beyond 1\.25x of its median 44\): builds 1 \(index 34\), 2 \(index 33\)/,
    );
    // The referenced series of the same builds never marks a build: the host cancels in its ratios.
    const paired: StoredRun[] = [];
    for (let n = 1; n <= 10; n += 1) paired.push(storedRunOf(pairedRun(await fixture(n), n, 1), { build: String(n) }));
    const ref = trendOf(pickSeries(seriesOf(paired), false), OPTIONS).series[0]!;
    expect(ref.builds.some((b) => b.hostOffBand)).toBe(false);
  });

  it('without a reference the absolute series are the trend, and --absolute keeps them where one exists', () => {
    const s = (hostClass: string): StoredSeries => ({
      scenario: 'p',
      variant: 'cold',
      arm: 'a',
      hostClass,
      metric: 'readyMs',
      builds: [],
    });
    expect(pickSeries([s('Xeon')], false).map((x) => x.hostClass)).toEqual(['Xeon']);
    expect(pickSeries([s('Xeon'), s(REFERENCED_HOST_CLASS)], false).map((x) => x.hostClass)).toEqual([
      REFERENCED_HOST_CLASS,
    ]);
    expect(pickSeries([s('Xeon'), s(REFERENCED_HOST_CLASS)], true).map((x) => x.hostClass)).toEqual(['Xeon']);
  });
});
