import type { Variant } from '../scenario/variants.js';
import type { RunRecord } from './types.js';

/**
 * Typed keys for the groups and starts of a results file, in place of strings joined with a
 * separator: a group is one scenario in one variant; a start is one planned start of it.
 */
export interface GroupKey {
  readonly scenario: string;
  readonly variant: Variant;
}

export interface StartKeyFields extends GroupKey {
  readonly warmup: boolean;
  readonly iteration: number;
  readonly arm?: string;
}

/** A stable string form of a group, for Map/Set membership (never parsed back). */
export const groupId = (k: GroupKey): string => JSON.stringify([k.scenario, k.variant]);

/** A stable string form of a planned start, for Map/Set membership (never parsed back). */
export const startKey = (k: StartKeyFields): string =>
  JSON.stringify([k.scenario, k.variant, k.warmup, k.iteration, k.arm ?? null]);

/** The distinct groups of some runs, in first-seen order. */
export function distinctGroups(items: Iterable<GroupKey>): GroupKey[] {
  const seen = new Map<string, GroupKey>();
  for (const i of items) if (!seen.has(groupId(i))) seen.set(groupId(i), { scenario: i.scenario, variant: i.variant });
  return [...seen.values()];
}

/** The arm of a start or group, or none: one spelling of "no arm" for every key. */
export type ArmName = string | undefined;

/** A stable string form of an arm's group, for Map/Set membership (never parsed back). */
export const armGroupId = (k: GroupKey & { readonly arm?: ArmName }): string =>
  JSON.stringify([k.arm ?? null, k.scenario, k.variant]);

/**
 * A start that counts in statistics: measured (not a warm-up), ok (a verified restore, when it is one) and on a real
 * host (a guest's software-CPU timings are never statistics).
 */
export const isMeasuredOk = (r: RunRecord): boolean => !r.warmup && r.status === 'ok' && r.guest === undefined;

/** The key of a scenario's images in the results file's environment: `scenario`, or `arm/scenario` in an A/B run. */
export const imagesKey = (arm: ArmName, scenario: string): string =>
  arm === undefined ? scenario : `${arm}/${scenario}`;

/**
 * Scenarios in the order every table and chart lists them: as the run configured them (`config.scenarios`, the blog's
 * order for --suite blog), then any others in the order the runs first name them.
 */
export const orderScenarios = (configured: readonly string[], runs: readonly RunRecord[]): string[] => [
  ...new Set([...configured, ...runs.map((r) => r.scenario)]),
];
