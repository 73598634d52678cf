import type { ResultsFile, RunRecord } from '../../src/results/types.js';
import { seededRandom } from '../../src/stats/random.js';

/**
 * Simulated A/B runs shaped like this machine's noise (measured on the 2-core VM, see README):
 * a drift shared by the starts of one round (the host slows down and speeds up over minutes),
 * lognormal noise per start, and now and then a whole start about 50% slower.
 */
export interface NoiseShape {
  /** SD of the log of the per-round drift (shared by the arms of a round). */
  readonly roundSd: number;
  /** SD of the log of each start's own noise. */
  readonly startSd: number;
  /** Probability that a start runs SLOW_FACTOR slower (whole-start slowdowns). */
  readonly slowShare: number;
}

export const SLOW_FACTOR = 1.5;
/**
 * Measured in the 40-round A/A run (results/reference/aa-pingperf.json): per-round log ratios
 * of the two arms with a robust SD of 0.04-0.08 and 5-10% of rounds beyond ±15% (one start of
 * the pair slow); the reference blog run drifted more between rounds (unpaired SD up to 0.17).
 */
export const MACHINE_NOISE: NoiseShape = { roundSd: 0.08, startSd: 0.035, slowShare: 0.03 };

function normal(random: () => number): number {
  // Box-Muller
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const MEDIANS: Record<string, number> = { cold: 5300, beforeAppStart: 1150, afterAppStart: 600 };

/**
 * A results file with arms `base` and `cand`: `rounds` rounds, each variant's candidate
 * multiplied by `effect[variant]` (1 = A/A).
 */
export function simulatedArms(
  rounds: number,
  effect: Partial<Record<string, number>>,
  noise: NoiseShape,
  seed: number,
  template: ResultsFile,
): ResultsFile {
  const random = seededRandom(seed);
  const runs: RunRecord[] = [];
  const proto = template.runs.find((r) => !r.warmup) as RunRecord;
  for (let r = 1; r <= rounds; r += 1) {
    const drift = Math.exp(noise.roundSd * normal(random));
    for (const variant of ['cold', 'beforeAppStart', 'afterAppStart'] as const) {
      for (const arm of ['base', 'cand']) {
        const slow = random() < noise.slowShare ? SLOW_FACTOR : 1;
        const value =
          (MEDIANS[variant] as number) *
          drift *
          Math.exp(noise.startSd * normal(random)) *
          slow *
          (arm === 'cand' ? (effect[variant] ?? 1) : 1);
        const first = value * (1.15 + 0.05 * random());
        runs.push({
          ...proto,
          variant,
          arm,
          iteration: r,
          warmup: false,
          status: 'ok',
          metrics: { readyMs: value, firstResponseMs: first },
        });
      }
    }
  }
  return {
    ...template,
    config: {
      ...template.config,
      arms: [
        { name: 'base', env: {} },
        { name: 'cand', env: {} },
      ],
    },
    runs,
  };
}
