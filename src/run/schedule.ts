/**
 * The order of starts: warmups first, then rounds in which every (arm, scenario, variant)
 * runs once, in a seeded random order, so machine drift does not bias one variant or one arm
 * and the same seed gives the same plan. Arms measured in the same round are paired by it.
 */
import { jsonDigest, sealPlan } from '../results/plan-digest.js';
import type { PlannedStart, RunConfig } from '../results/types.js';
import type { Variant } from '../scenario/variants.js';
import { seededRandom, shuffle } from '../stats/random.js';

export function planStarts(
  scenarios: readonly string[],
  variants: readonly Variant[],
  runs: number,
  warmup: number,
  seed: number,
  arms: readonly string[] = [],
  notApplicable: Readonly<Record<string, readonly Variant[]>> = {},
): PlannedStart[] {
  const random = seededRandom(seed);
  const armList: Array<string | undefined> = arms.length > 0 ? [...arms] : [undefined];
  // An arm whose runtime cannot take a variant (a plain JVM has no checkpoint) has no start of it.
  const pairs = armList.flatMap((arm) =>
    scenarios.flatMap((scenario) =>
      variants
        .filter((variant) => arm === undefined || !notApplicable[arm]?.includes(variant))
        .map((variant) => ({ scenario, variant, ...(arm !== undefined ? { arm } : {}) })),
    ),
  );
  const plan: PlannedStart[] = [];
  for (let w = 1; w <= warmup; w += 1) {
    for (const p of shuffle(pairs, random)) plan.push({ ...p, warmup: true, iteration: w });
  }
  for (let r = 1; r <= runs; r += 1) {
    for (const p of shuffle(pairs, random)) plan.push({ ...p, warmup: false, iteration: r });
  }
  return plan;
}

/** Measured rounds in a run's plan so far. */
export function plannedRounds(config: Pick<RunConfig, 'order'>): number {
  return Math.max(0, ...config.order.filter((p) => !p.warmup).map((p) => p.iteration));
}

/**
 * --target-ci: the run's configuration with one more round, seeded like the others; `runs`
 * counts it, so the report's method line says how many rounds were measured. The new
 * configuration replaces the old one in the results file (a resume goes on from it).
 */
export function withOneMoreRound(config: RunConfig): { config: RunConfig; round: PlannedStart[] } {
  const rounds = plannedRounds(config);
  const round = planStarts(
    config.scenarios,
    config.variants,
    1,
    0,
    config.seed + rounds + 1,
    (config.arms ?? []).map((a) => a.name),
    config.notApplicable,
  ).map((p) => ({ ...p, iteration: rounds + 1 }));
  return { config: sealPlan({ ...config, order: [...config.order, ...round], runs: rounds + 1 }), round };
}

/**
 * The identity of a plan: what every shard of it must share (the settings that shape the
 * measurement, the scenarios by name and the whole seeded order). Host-specific parts (CPU
 * sets, the scenario directories' absolute paths) and the shard itself stay out.
 */
export function planIdentity(config: RunConfig): Record<string, unknown> {
  const { shard: _shard, serverCpus: _s, harnessCpus: _h, scenarioRefs: _r, planDigest: _d, order, ...rest } = config;
  return { ...rest, order };
}

export function planId(config: RunConfig): string {
  return jsonDigest(planIdentity(config));
}

/** --shard K/N: the configuration of shard K: every warm-up (each host warms up), and rounds r with (r - 1) mod N = K - 1. */
export function shardConfig(config: RunConfig): RunConfig {
  if (!config.shard) return config;
  const { index, count } = config.shard;
  const rounds = plannedRounds(config);
  const id = planId({ ...config, shard: undefined });
  return {
    ...config,
    shard: { index, count, planId: id, rounds },
    order: config.order.filter((p) => p.warmup || (p.iteration - 1) % count === index - 1),
  };
}

/** The measured rounds a (shard's) configuration holds. */
export function shardRounds(config: Pick<RunConfig, 'order'>): number[] {
  return [...new Set(config.order.filter((p) => !p.warmup).map((p) => p.iteration))].sort((a, b) => a - b);
}
