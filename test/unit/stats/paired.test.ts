import { describe, expect, it } from 'vitest';
import { hodgesLehmann, holmAdjust, pairedRatio, roundsToDecide, signedRankTest } from '../../../src/stats/paired.js';

describe('signedRankTest', () => {
  it('is exact on a worked example: 5 positive differences give p = 1/32 one-sided, 1/16 two-sided', () => {
    const r = signedRankTest([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(r.pGreater).toBeCloseTo(1 / 32, 12);
    expect(r.pLess).toBe(1);
    expect(r.pTwoSided).toBeCloseTo(1 / 16, 12);
    expect(r.minAchievableP).toBeCloseTo(1 / 16, 12);
  });

  it('equals enumerating every sign flip, ties and zeros included', () => {
    const brute = (d: number[]): { ge: number; le: number } => {
      const nz = d.filter((x) => x !== 0);
      const abs = nz.map(Math.abs);
      const rank = abs.map((v) => abs.filter((x) => x < v).length + (abs.filter((x) => x === v).length + 1) / 2);
      const obs = rank.reduce((s, r, i) => s + ((nz[i] as number) > 0 ? r : 0), 0);
      let ge = 0;
      let le = 0;
      const all = 2 ** nz.length;
      for (let mask = 0; mask < all; mask += 1) {
        const w = rank.reduce((s, r, i) => s + ((mask >> i) & 1 ? r : 0), 0);
        if (w >= obs - 1e-9) ge += 1;
        if (w <= obs + 1e-9) le += 1;
      }
      return { ge: ge / all, le: le / all };
    };
    for (const d of [
      [0.3, -0.1, 0.2, 0.2, -0.05, 0.4, 0.1, 0],
      [1, 1, -1, 2, 2, -2, 3, 0.5, 0.5, -0.5, 0.25],
      [-0.2, -0.1, -0.3, 0.05],
    ]) {
      const exact = signedRankTest(d);
      const b = brute(d);
      expect(exact.pGreater).toBeCloseTo(b.ge, 12);
      expect(exact.pLess).toBeCloseTo(b.le, 12);
    }
  });

  it('gives no evidence for differences symmetric around zero', () => {
    expect(signedRankTest([0.1, -0.1, 0.2, -0.2, 0.3, -0.3]).pTwoSided).toBe(1);
  });
});

describe('holmAdjust', () => {
  it('matches the worked step-down example, in the input order', () => {
    // sorted: 0.005 x4 = 0.02; 0.01 x3 = 0.03; 0.03 x2 = 0.06; 0.04 x1 = 0.04 -> monotone 0.06
    const adj = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    expect(adj.map((p) => Number(p.toFixed(10)))).toEqual([0.03, 0.06, 0.06, 0.02]);
  });

  it('caps at 1 and leaves a single p-value as it is', () => {
    expect(holmAdjust([0.6, 0.7])).toEqual([1, 1]);
    expect(holmAdjust([0.2])).toEqual([0.2]);
  });
});

describe('pairedRatio and friends', () => {
  it('estimates a constant per-round ratio exactly, whatever the drift between rounds', () => {
    const base = [600, 900, 650, 1200, 610, 700, 640, 990, 620, 605];
    const cand = base.map((b) => b * 1.1);
    const { ratio, ci } = pairedRatio(base, cand, 1);
    expect(ratio).toBeCloseTo(1.1, 10);
    expect(ci.low).toBeCloseTo(1.1, 10);
    expect(ci.high).toBeCloseTo(1.1, 10);
  });

  it('Hodges-Lehmann: the median of the Walsh averages', () => {
    // Walsh averages of [1, 2, 9]: 1, 1.5, 5, 2, 5.5, 9 -> median 3.5
    expect(hodgesLehmann([1, 2, 9])).toBeCloseTo(3.5, 12);
  });

  it('rounds to decide grow as the interval is wide against the distance to a decision', () => {
    expect(roundsToDecide(10, 1.0, { low: 0.9, high: 1.11 }, 0.05)).toBeGreaterThan(30);
    expect(roundsToDecide(10, 1.0, { low: 0.99, high: 1.01 }, 0.05)).toBeLessThanOrEqual(10);
  });
});
