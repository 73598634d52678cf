import { describe as group, expect, it } from 'vitest';
import { bootstrapMedianCi, bootstrapRatioCi, describe, madOutliers } from '../../../src/stats/describe.js';

/** Naive reference implementations to check against. */
const naiveMedian = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const naiveSd = (xs: number[]): number => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
};

group('describe', () => {
  it('matches naive references on a worked example', () => {
    const xs = [7752, 6521, 8296, 7100, 6900, 12000];
    const d = describe(xs, 1);
    expect(d.n).toBe(6);
    expect(d.median).toBe(naiveMedian(xs));
    expect(d.median).toBe(7426);
    expect(d.mean).toBeCloseTo(8094.83, 2);
    expect(d.sd).toBeCloseTo(naiveSd(xs), 9);
    expect(d.min).toBe(6521);
    expect(d.max).toBe(12000);
    // 12000 is the one outlier: MAD = 698, modified z = 0.6745 * 4574 / 698 = 4.42 > 3.5
    expect(d.outliers).toEqual([5]);
  });

  it('brackets the median with a reproducible bootstrap interval', () => {
    const xs = Array.from({ length: 30 }, (_, i) => 600 + ((i * 37) % 50));
    const a = bootstrapMedianCi(xs, 42);
    expect(bootstrapMedianCi(xs, 42)).toEqual(a);
    expect(a.low).toBeLessThanOrEqual(naiveMedian(xs));
    expect(a.high).toBeGreaterThanOrEqual(naiveMedian(xs));
    expect(a.high - a.low).toBeLessThan(50);
  });

  it('gives a degenerate interval for identical samples and refuses empty ones', () => {
    expect(bootstrapMedianCi([5, 5, 5], 1)).toEqual({ low: 5, high: 5 });
    expect(() => describe([], 1)).toThrow(RangeError);
    expect(() => describe([1, Number.NaN], 1)).toThrow(RangeError);
  });

  it('puts the speedup ratio inside its interval', () => {
    const cold = [7000, 7500, 8000, 7700, 7300];
    const fast = [600, 620, 650, 610, 640];
    const ci = bootstrapRatioCi(cold, fast, 3);
    const ratio = naiveMedian(cold) / naiveMedian(fast);
    expect(ci.low).toBeLessThanOrEqual(ratio);
    expect(ci.high).toBeGreaterThanOrEqual(ratio);
  });

  it('flags nothing when the MAD is zero', () => {
    expect(madOutliers([3, 3, 3, 3, 100])).toEqual([]);
  });
});

group('selectKth', () => {
  it('agrees with sorting on random data, duplicates included', async () => {
    const { selectKth } = await import('../../../src/stats/describe.js');
    let seed = 5;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let trial = 0; trial < 200; trial += 1) {
      const n = 1 + Math.floor(rnd() * 40);
      const xs = Array.from({ length: n }, () => Math.floor(rnd() * 10));
      const k = Math.floor(rnd() * n);
      const sorted = [...xs].sort((a, b) => a - b);
      expect(selectKth([...xs], k)).toBe(sorted[k]);
    }
  });
});
