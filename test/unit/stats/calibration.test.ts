import { describe, expect, it } from 'vitest';
import { firstSplit } from '../../../src/stats/change-points.js';
import { holmAdjust, signedRankTest } from '../../../src/stats/paired.js';
import { seededRandom } from '../../../src/stats/random.js';
import { lookVerdict, type PairStats } from '../../../src/stats/sequential-look.js';
import type { Key } from '../../../src/stats/sequential-types.js';

/**
 * Calibration from both sides: under no change a test's p-values are uniform, so the share at or below each level
 * lies inside a two-sided binomial band around that level (99.9%: a correct test fails it once in a thousand runs of
 * this file). One level only bounds one side; three levels catch a p-value twice too small and one twice too large,
 * which each test shows by applying its own check to the p-values halved and doubled.
 */
const LEVELS = [0.05, 0.2, 0.5];
const Z = 3.29; // two-sided 99.9%

/** The share of p-values at or below each level, each inside its binomial band (around `expected(level)`). */
function calibrated(ps: readonly number[], expected: (level: number) => number = (l) => l): boolean {
  return LEVELS.every((level) => {
    const e = expected(level);
    const k = ps.filter((p) => p <= level).length;
    const sd = Math.sqrt(ps.length * e * (1 - e));
    return Math.abs(k - ps.length * e) <= Z * sd;
  });
}

const normal = (random: () => number) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** Build medians of 5 starts shaped like this machine's (lognormal, CV ~4%, now and then 50% slower), no change. */
function nullSeries(n: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const s = Array.from({ length: 5 }, () => 1000 * Math.exp(0.04 * normal(random)) * (random() < 0.05 ? 1.5 : 1));
    return s.sort((a, b) => a - b)[2] as number;
  });
}

// 600 series of 24 builds without a change: the change-point test's first-split p-values (every permutation drawn).
const SERIES = 600;
const pValues = Array.from(
  { length: SERIES },
  (_, s) => firstSplit(nullSeries(24, 5000 + s), { alpha: 1, permutations: 199, minSize: 2, seed: 77 + s }).pValue,
);

describe('calibration under no change, from both sides', () => {
  it("the change points' p-values are uniform at 0.05, 0.2 and 0.5; halved or doubled they are not", () => {
    expect(calibrated(pValues)).toBe(true);
    expect(calibrated(pValues.map((p) => p / 2))).toBe(false);
    expect(calibrated(pValues.map((p) => Math.min(1, p * 2)))).toBe(false);
  });

  it("Holm across 5 series: the family's smallest adjusted p is at or below a level as often as 1-(1-a/5)^5 says", () => {
    const families = Array.from({ length: SERIES / 5 }, (_, f) => pValues.slice(5 * f, 5 * f + 5));
    const minAdjusted = (ps: readonly number[]) => Math.min(...holmAdjust(ps));
    // Independent series: P(min over 5 of Holm's adjusted p <= a) = P(min p <= a/5) = 1 - (1 - a/5)^5.
    const exact = (a: number) => 1 - (1 - a / 5) ** 5;
    expect(calibrated(families.map(minAdjusted), exact)).toBe(true);
    expect(
      calibrated(
        families.map((ps) => minAdjusted(ps.map((p) => p / 2))),
        exact,
      ),
    ).toBe(false);
    expect(
      calibrated(
        families.map((ps) => minAdjusted(ps.map((p) => Math.min(1, p * 2)))),
        exact,
      ),
    ).toBe(false);
  });

  it("the paired gate's signed-rank p-values are uniform over rounds of real-shaped noise (20 rounds, exact test)", () => {
    const random = seededRandom(4242);
    // Per-round log ratios: two starts' lognormal noise, and now and then one start 50% slow on either side.
    const symmetric = Array.from(
      { length: 1500 },
      () =>
        signedRankTest(
          Array.from(
            { length: 20 },
            () => 0.05 * normal(random) + (random() < 0.05 ? (random() < 0.5 ? 0.4 : -0.4) : 0),
          ),
        ).pTwoSided,
    );
    expect(calibrated(symmetric)).toBe(true);
    expect(calibrated(symmetric.map((p) => p / 2))).toBe(false);
    expect(calibrated(symmetric.map((p) => Math.min(1, p * 2)))).toBe(false);
  });
});

describe('the sequential gate\'s "not worse" in both directions', () => {
  const key = (metric: string): Key =>
    ({
      scenario: 's',
      variant: 'cold',
      metric,
      arm: 'b',
      gating: true,
      baseline: new Map(),
      candidate: new Map(),
    }) as Key;
  const stats = (logRatio: number, oneSided: { low: number; high: number }): PairStats => ({
    tm: { n: 10, estimate: logRatio, se: 0.02, df: 8 },
    z: 0,
    interval: { low: logRatio - 0.2, high: logRatio + 0.2 }, // too wide for "unchanged"
    oneSided,
  });
  const bands = {
    t: 0.05,
    band: { low: Math.log(0.95), high: Math.log(1.05) },
    futility: { low: Math.log(0.9), high: Math.log(1.1) },
  };

  it('lower is better (readyMs): not worse when the one-sided upper bound stays under +10%, whatever the lower one', () => {
    expect(lookVerdict(key('readyMs'), stats(0, { low: -0.3, high: 0.05 }), false, bands)).toBe('not-worse');
    expect(lookVerdict(key('readyMs'), stats(0, { low: -0.05, high: 0.15 }), false, bands)).toBeUndefined();
  });

  it('higher is better (rampPeakRps): not worse when the one-sided lower bound stays above -10%, whatever the upper one', () => {
    expect(lookVerdict(key('rampPeakRps'), stats(0, { low: -0.05, high: 0.3 }), false, bands)).toBe('not-worse');
    expect(lookVerdict(key('rampPeakRps'), stats(0, { low: -0.3, high: 0.05 }), false, bands)).toBeUndefined();
  });

  it('a significant 15% fall is a regression of throughput and an improvement of time to ready', () => {
    const fall = stats(Math.log(0.85), { low: -0.3, high: -0.1 });
    expect(lookVerdict(key('rampPeakRps'), fall, true, bands)).toBe('regression');
    expect(lookVerdict(key('readyMs'), fall, true, bands)).toBe('improvement');
  });
});
