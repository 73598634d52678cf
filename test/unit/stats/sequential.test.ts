import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../../src/results/types.js';
import { normalUpperQuantile, normalUpperTail, tUpperQuantile, tUpperTail } from '../../../src/stats/distributions.js';
import { analyzeSequential, completeRounds } from '../../../src/stats/sequential.js';
import { sequentialDesign } from '../../../src/stats/sequential-design.js';
import { crossingProbability, spendingBoundaries } from '../../../src/stats/spending.js';
import { trimmedMean } from '../../../src/stats/trimmed.js';
import { roundsForHolmFloor } from '../../../src/stats/paired.js';
import { MACHINE_NOISE, simulatedArms } from '../../support/simulated-noise.js';

const FIVE = [0.2, 0.4, 0.6, 0.8, 1];

describe('distributions', () => {
  it('gives published normal and t quantiles', () => {
    expect(normalUpperQuantile(0.025)).toBeCloseTo(1.959964, 5);
    expect(normalUpperTail(3)).toBeCloseTo(0.0013499, 6);
    // Student t tables: t(0.975, 10) = 2.228, t(0.995, 5) = 4.032, t(0.95, 1) = 6.314.
    expect(tUpperQuantile(0.025, 10)).toBeCloseTo(2.228, 3);
    expect(tUpperQuantile(0.005, 5)).toBeCloseTo(4.032, 3);
    expect(tUpperQuantile(0.05, 1)).toBeCloseTo(6.314, 3);
    expect(tUpperTail(2.228, 10)).toBeCloseTo(0.025, 4);
  });
});

describe('error-spending boundaries (Lan & DeMets), against published values', () => {
  it("O'Brien-Fleming type, 5 equally spaced looks, two-sided 0.05: 4.877, 3.357, 2.680, 2.290, 2.031", () => {
    // Published: Reboussin, DeMets, Kim & Lan (2000), ld98 / ldbounds; Jennison & Turnbull (2000) table 7.6.
    const b = spendingBoundaries(FIVE, 0.05, 'obrien-fleming');
    [4.8769, 3.3569, 2.6803, 2.2898, 2.031].forEach((want, k) => expect(b[k]).toBeCloseTo(want, 2));
  });

  it('Pocock type, 5 equally spaced looks, two-sided 0.05: 2.438, 2.427, 2.410, 2.397, 2.386', () => {
    const b = spendingBoundaries(FIVE, 0.05, 'pocock');
    [2.438, 2.4268, 2.4101, 2.3966, 2.3859].forEach((want, k) =>
      expect(Math.abs((b[k] as number) - want)).toBeLessThan(0.006),
    );
  });

  it("the integration gives Pocock's (1977) constant 2.413 and O'Brien & Fleming's (1979) 2.040 sqrt(5/k) a total error of 0.05", () => {
    expect(
      crossingProbability(
        FIVE,
        FIVE.map(() => 2.413),
      ),
    ).toBeCloseTo(0.05, 3);
    expect(
      crossingProbability(
        FIVE,
        [1, 2, 3, 4, 5].map((k) => 2.04 * Math.sqrt(5 / k)),
      ),
    ).toBeCloseTo(0.05, 3);
    // One look is the fixed test.
    expect(spendingBoundaries([1], 0.05, 'pocock')[0]).toBeCloseTo(1.96, 2);
  });
});

describe("Yuen's trimmed mean", () => {
  it('trims 20% each side and takes its error from the winsorized variance', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 100];
    const t = trimmedMean(x);
    expect(t.estimate).toBeCloseTo(5.5, 10); // mean of 3..8
    // winsorized: 3,3,3,4,5,6,7,8,8,8: SS about its mean 5.5 = 42.5; se = sqrt(42.5 / (6 * 5)).
    expect(t.se).toBeCloseTo(Math.sqrt(42.5 / 30), 10);
    expect(t.df).toBe(5);
  });
});

const template = JSON.parse(
  readFileSync(path.resolve('test/fixtures/results/pingperf-3-variants.json'), 'utf8'),
) as ResultsFile;
const design = sequentialDesign({ thresholdPct: 5, metrics: ['readyMs', 'firstResponseMs'] });
const gate = (f: ResultsFile) => analyzeSequential(f, design, { seed: 1, resamples: 20 });
const stopRound = (o: ReturnType<typeof gate>) => o.looks[o.looks.length - 1]?.round ?? 0;
const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

describe('the sequential gate on simulated machine noise (test/support/simulated-noise.ts)', () => {
  const GATES = 150;

  it('A/A: at most 5% of gates report a regression', () => {
    let alarms = 0;
    for (let g = 0; g < GATES; g += 1)
      if (
        gate(simulatedArms(40, {}, MACHINE_NOISE, 60_000 + g, template)).comparisons.some(
          (c) => c.verdict === 'regression',
        )
      )
        alarms += 1;
    expect(alarms / GATES).toBeLessThanOrEqual(0.05);
  }, 120_000);

  it('flags a +10% change of one variant in at least 90% of gates, and stops a +20% change by round 10 (median)', () => {
    for (const variant of ['cold', 'afterAppStart']) {
      let hits = 0;
      const rounds: number[] = [];
      for (let g = 0; g < GATES; g += 1) {
        const o = gate(simulatedArms(40, { [variant]: 1.1 }, MACHINE_NOISE, 70_000 + g, template));
        if (o.comparisons.some((c) => c.variant === variant && c.verdict === 'regression')) hits += 1;
      }
      for (let g = 0; g < 60; g += 1)
        rounds.push(stopRound(gate(simulatedArms(40, { [variant]: 1.2 }, MACHINE_NOISE, 80_000 + g, template))));
      expect(hits / GATES).toBeGreaterThanOrEqual(0.9);
      expect(medianOf(rounds)).toBeLessThanOrEqual(10);
    }
  }, 120_000);

  it('replays the same looks from the same file: a run cut at the stopping round gives the same verdicts', () => {
    const full = simulatedArms(40, { beforeAppStart: 1.35 }, MACHINE_NOISE, 5, template);
    const o = gate(full);
    const stop = stopRound(o);
    expect(o.decided).toBe(true);
    expect(stop).toBeLessThan(40);
    const cut = { ...full, runs: full.runs.filter((r) => r.iteration <= stop) };
    expect(completeRounds(cut)).toBe(stop);
    const again = gate(cut);
    expect(again.looks).toEqual(o.looks);
    expect(again.comparisons.map((c) => c.verdict)).toEqual(o.comparisons.map((c) => c.verdict));
    expect(o.comparisons.find((c) => c.variant === 'beforeAppStart' && c.metric === 'readyMs')?.verdict).toBe(
      'regression',
    );
  });

  it("its minimum needs no rank-test floor: with 6 comparisons, where the fixed gate's signed-rank test under Holm needs 8 rounds, a +35% change is called a regression at the first look (round 5) in at least 15% of gates (11 of 40 with these seeds; the rank test there: never)", () => {
    expect(roundsForHolmFloor(6, 0.05)).toBe(8);
    expect(design.minRounds).toBe(5);
    let atFirstLook = 0;
    for (let g = 0; g < 40; g += 1) {
      const o = gate(simulatedArms(40, { afterAppStart: 1.35 }, MACHINE_NOISE, 90_000 + g, template));
      expect(o.comparisons).toHaveLength(6);
      const hit = o.comparisons.find((c) => c.variant === 'afterAppStart' && c.verdict === 'regression');
      if (hit && stopRound(o) === 5) atFirstLook += 1;
    }
    expect(atFirstLook / 40).toBeGreaterThanOrEqual(0.15);
  });

  it('takes no look before the minimum, and never calls anything unchanged from too few rounds', () => {
    const few = simulatedArms(4, {}, MACHINE_NOISE, 9, template);
    const o = gate(few);
    expect(o.looks).toEqual([]);
    expect(o.comparisons).toHaveLength(6);
    expect(o.comparisons.every((c) => c.verdict === 'inconclusive' && /fewer than the 5/.test(c.note ?? ''))).toBe(
      true,
    );
  });
});

describe('"not worse": the non-binding futility boundary (simulated machine noise)', () => {
  const GATES = 120;
  const withoutFutility = sequentialDesign({
    thresholdPct: 5,
    metrics: ['readyMs', 'firstResponseMs'],
    futility: false,
  });

  it('the default design records it: one-sided 95% (Pocock), margin twice the threshold', () => {
    expect(design.futility).toEqual({ alpha: 0.05, spending: 'pocock', marginPct: 10 });
    expect(withoutFutility.futility).toBeUndefined();
  });

  it('A/A: a median of at most 10 rounds to a verdict, mostly "not worse", no more false alarms than without it', () => {
    const rounds: number[] = [];
    let notWorse = 0;
    let alarms = 0;
    let alarmsWithout = 0;
    for (let g = 0; g < GATES; g += 1) {
      const f = simulatedArms(40, {}, MACHINE_NOISE, 90_000 + g, template);
      const o = gate(f);
      rounds.push(stopRound(o));
      notWorse += o.comparisons.filter((c) => c.verdict === 'not-worse').length;
      if (o.comparisons.some((c) => c.verdict === 'regression')) alarms += 1;
      if (
        analyzeSequential(f, withoutFutility, { seed: 1, resamples: 20 }).comparisons.some(
          (c) => c.verdict === 'regression',
        )
      )
        alarmsWithout += 1;
    }
    expect(medianOf(rounds)).toBeLessThanOrEqual(10);
    expect(notWorse).toBeGreaterThan(GATES * 3);
    // Non-binding: a regression found without the boundary may be cut short by it, never added.
    expect(alarms).toBeLessThanOrEqual(alarmsWithout);
    expect(alarms / GATES).toBeLessThanOrEqual(0.05);
  }, 120_000);

  it('a change at the margin (+10%) is called "not worse" in at most 5% of gates, and still flagged in at least 90%', () => {
    let notWorse = 0;
    let flagged = 0;
    for (let g = 0; g < GATES; g += 1) {
      const o = gate(simulatedArms(40, { afterAppStart: 1.1 }, MACHINE_NOISE, 95_000 + g, template));
      const mine = o.comparisons.filter((c) => c.variant === 'afterAppStart' && c.gating);
      if (mine.some((c) => c.verdict === 'not-worse')) notWorse += 1;
      if (mine.some((c) => c.verdict === 'regression')) flagged += 1;
    }
    expect(notWorse / GATES).toBeLessThanOrEqual(0.05);
    expect(flagged / GATES).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  it('a design recorded without it replays as before: no "not worse", A/A goes on past round 10', () => {
    const f = simulatedArms(40, {}, MACHINE_NOISE, 91_000, template);
    const o = analyzeSequential(f, withoutFutility, { seed: 1, resamples: 20 });
    expect(o.comparisons.some((c) => c.verdict === 'not-worse')).toBe(false);
    const withIt = gate(f);
    expect(stopRound(withIt)).toBeLessThanOrEqual(stopRound(o));
  });

  it('lower is better for readyMs: a -10% fall (faster) is never a regression, and is an improvement or not worse', () => {
    const o = gate(simulatedArms(40, { cold: 0.9 }, MACHINE_NOISE, 97, template));
    const cold = o.comparisons.filter((c) => c.variant === 'cold');
    expect(cold.every((c) => c.verdict !== 'regression')).toBe(true);
    expect(cold.every((c) => ['improvement', 'not-worse'].includes(c.verdict))).toBe(true);
  });
});
