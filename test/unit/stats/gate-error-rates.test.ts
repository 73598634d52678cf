import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../../src/results/types.js';
import { compareArms } from '../../../src/stats/compare-arms.js';
import { RECOMMENDED_ARM_ROUNDS } from '../../../src/stats/compare.js';
import { MACHINE_NOISE, simulatedArms } from '../../support/simulated-noise.js';

/**
 * The A/B gate's two error rates on simulated runs shaped like this machine's noise (see
 * test/support/simulated-noise.ts; the real-noise figures are in the README, from
 * test/bench/gate-error-rates.ts). Each gate is the whole gate: three variants x readyMs and
 * firstResponseMs, Holm across the six.
 */
const template = JSON.parse(
  readFileSync(path.resolve('test/fixtures/results/pingperf-3-variants.json'), 'utf8'),
) as ResultsFile;
const GATES = 200;
const gate = (f: ResultsFile) =>
  compareArms(f, { thresholdPct: 5, metrics: ['readyMs', 'firstResponseMs'], seed: 1, resamples: 200 });

describe('A/B gate error rates on simulated machine noise', () => {
  it('A/A: at most 5% of gates report a regression, at the default rounds and at 10', () => {
    for (const rounds of [10, RECOMMENDED_ARM_ROUNDS]) {
      let alarms = 0;
      for (let g = 0; g < GATES; g += 1)
        if (
          gate(simulatedArms(rounds, {}, MACHINE_NOISE, 10_000 + g, template)).some((r) => r.verdict === 'regression')
        )
          alarms += 1;
      expect(alarms / GATES).toBeLessThanOrEqual(0.05);
    }
  }, 120_000);

  it('a 10% slowdown of an InstantOn variant is flagged in at least 90% of gates at the default rounds (and not at 10: that is why the default is higher)', () => {
    for (const variant of ['beforeAppStart', 'afterAppStart']) {
      const power = (rounds: number): number => {
        let hits = 0;
        for (let g = 0; g < GATES; g += 1) {
          const rows = gate(simulatedArms(rounds, { [variant]: 1.1 }, MACHINE_NOISE, 20_000 + g, template));
          if (rows.some((r) => r.variant === variant && r.metric === 'readyMs' && r.verdict === 'regression'))
            hits += 1;
        }
        return hits / GATES;
      };
      expect(power(RECOMMENDED_ARM_ROUNDS)).toBeGreaterThanOrEqual(0.9);
      expect(power(10)).toBeLessThan(0.9);
    }
  }, 120_000);

  it('never calls an A/A difference "unchanged" when the rounds are too few to show it', () => {
    const rows = gate(simulatedArms(4, {}, MACHINE_NOISE, 7, template));
    expect(rows.every((r) => r.verdict !== 'unchanged')).toBe(true);
  });
});
