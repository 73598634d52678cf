/**
 * The order of starts: warmups first, then rounds in which every (scenario, variant) pair
 * runs once, in a seeded random order, so machine drift does not bias one variant and the
 * same seed gives the same plan.
 */
import type { PlannedStart } from '../results/types.js';
import type { Variant } from '../scenario/variants.js';
import { seededRandom, shuffle } from '../stats/random.js';

export type { PlannedStart };

export function planStarts(scenarios: readonly string[], variants: readonly Variant[], runs: number, warmup: number, seed: number): PlannedStart[] {
  const random = seededRandom(seed);
  const pairs = scenarios.flatMap((scenario) => variants.map((variant) => ({ scenario, variant })));
  const plan: PlannedStart[] = [];
  for (let w = 1; w <= warmup; w += 1) {
    for (const p of shuffle(pairs, random)) plan.push({ ...p, warmup: true, iteration: w });
  }
  for (let r = 1; r <= runs; r += 1) {
    for (const p of shuffle(pairs, random)) plan.push({ ...p, warmup: false, iteration: r });
  }
  return plan;
}
