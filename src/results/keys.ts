import type { Variant } from '../scenario/variants.js';

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
export const startKey = (k: StartKeyFields): string => JSON.stringify([k.scenario, k.variant, k.warmup, k.iteration, k.arm ?? null]);

/** The distinct groups of some runs, in first-seen order. */
export function distinctGroups(items: Iterable<GroupKey>): GroupKey[] {
  const seen = new Map<string, GroupKey>();
  for (const i of items) if (!seen.has(groupId(i))) seen.set(groupId(i), { scenario: i.scenario, variant: i.variant });
  return [...seen.values()];
}
