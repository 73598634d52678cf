import { describe, expect, it } from 'vitest';
import { bestSplitOf, findChangePoints, firstSplit } from '../../../src/stats/change-points.js';
import { seededRandom } from '../../../src/stats/random.js';

/** The energy statistic by its definition (every pair). */
function naiveBest(values: number[], minSize: number): { index: number; statistic: number } {
  const r = values;
  const n = r.length;
  let best = { index: -1, statistic: -Infinity };
  for (let m = minSize; m <= n - minSize; m += 1) {
    const a = r.slice(0, m);
    const b = r.slice(m);
    let cross = 0;
    for (const x of a) for (const y of b) cross += Math.abs(x - y);
    const within = (s: number[]) => {
      let t = 0;
      for (let i = 0; i < s.length; i += 1) for (let j = i + 1; j < s.length; j += 1) t += Math.abs(s[i]! - s[j]!);
      return t / ((s.length * (s.length - 1)) / 2);
    };
    const q = ((a.length * b.length) / n) * ((2 * cross) / (a.length * b.length) - within(a) - within(b));
    if (q > best.statistic) best = { index: m, statistic: q };
  }
  return best;
}

/**
 * A series of build medians shaped like this machine's starts: `starts` per build, each lognormal (CV ~4%) and now and
 * then 50% slower.
 */
function noisy(n: number, seed: number, step?: { at: number; ratio: number }, starts = 5): number[] {
  const random = seededRandom(seed);
  const start = () => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return 1000 * Math.exp(0.04 * z) * (random() < 0.05 ? 1.5 : 1);
  };
  return Array.from({ length: n }, (_, i) => {
    const s = Array.from({ length: starts }, start).sort((a, b) => a - b);
    return (s[Math.floor(starts / 2)] as number) * (step && i >= step.at ? step.ratio : 1);
  });
}

describe('E-divisive change points', () => {
  it('computes the energy statistic as its definition does, ties included', () => {
    for (const series of [noisy(23, 3), [5, 5, 5, 1, 1, 9, 9, 9, 2, 2], noisy(12, 9, { at: 5, ratio: 1.3 })]) {
      const fast = bestSplitOf(series, 2);
      const slow = naiveBest(series, 2);
      expect(fast.index).toBe(slow.index);
      expect(fast.statistic).toBeCloseTo(slow.statistic, 9);
    }
  });

  it('finds a 10% step where it is and nothing in a series without one', () => {
    const step = findChangePoints(noisy(60, 4, { at: 37, ratio: 1.1 }));
    expect(step).toHaveLength(1);
    expect(Math.abs(step[0]!.index - 37)).toBeLessThanOrEqual(1);
    expect(step[0]!.pValue).toBeLessThan(0.01);
    expect(findChangePoints(noisy(60, 5))).toEqual([]);
  });

  it('finds two steps, and a build 50% slow alone is no change', () => {
    const series = noisy(80, 6, { at: 30, ratio: 1.2 }).map((v, i) => (i >= 55 ? v / 1.2 : v));
    const found = findChangePoints(series).map((c) => c.index);
    expect(found).toHaveLength(2);
    expect(Math.abs(found[0]! - 30)).toBeLessThanOrEqual(1);
    expect(Math.abs(found[1]! - 55)).toBeLessThanOrEqual(1);
    const spike = noisy(50, 7);
    spike[20] = spike[20]! * 1.5;
    expect(findChangePoints(spike)).toEqual([]);
  });

  it('goes on from a first test already run as if it had run it itself', () => {
    const series = noisy(70, 12, { at: 20, ratio: 1.1 }).map((v, i) => (i >= 45 ? v * 1.1 : v));
    const options = { alpha: 0.05, permutations: 499, minSize: 2, seed: 3 };
    expect(findChangePoints(series, options, firstSplit(series, options))).toEqual(findChangePoints(series, options));
  });

  it('holds its level on series without a change (simulated noise shaped like this machine)', () => {
    let falseAlarms = 0;
    const series = 200;
    for (let s = 0; s < series; s += 1)
      if (firstSplit(noisy(30, 100 + s), { alpha: 0.05, permutations: 199, minSize: 2, seed: s }).pValue <= 0.05)
        falseAlarms += 1;
    // Binomial(200, 0.05): mean 10, sd 3.1; a test that ignores its level would show far more.
    expect(falseAlarms).toBeLessThanOrEqual(19);
  });
});
