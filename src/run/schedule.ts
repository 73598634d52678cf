/**
 * The order of starts: warmups first, then rounds in which every (arm, scenario, variant)
 * runs once, in a seeded random order, so machine drift does not bias one variant or one arm
 * and the same seed gives the same plan. Arms measured in the same round are paired by it.
 */
import type { PlannedStart } from '../results/types.js';
import type { Variant } from '../scenario/variants.js';
import { seededRandom, shuffle } from '../stats/random.js';

export type { PlannedStart };

export function planStarts(scenarios: readonly string[], variants: readonly Variant[], runs: number, warmup: number, seed: number, arms: readonly string[] = []): PlannedStart[] {
  const random = seededRandom(seed);
  const armList: Array<string | undefined> = arms.length > 0 ? [...arms] : [undefined];
  const pairs = armList.flatMap((arm) => scenarios.flatMap((scenario) => variants.map((variant) => ({ scenario, variant, ...(arm !== undefined ? { arm } : {}) }))));
  const plan: PlannedStart[] = [];
  for (let w = 1; w <= warmup; w += 1) {
    for (const p of shuffle(pairs, random)) plan.push({ ...p, warmup: true, iteration: w });
  }
  for (let r = 1; r <= runs; r += 1) {
    for (const p of shuffle(pairs, random)) plan.push({ ...p, warmup: false, iteration: r });
  }
  return plan;
}
