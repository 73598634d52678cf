import { variantRank } from '../scenario/variants.js';
import type { RunRecord } from '../results/types.js';
import { armGroupId, isMeasuredOk } from '../results/keys.js';
import type { Variant } from '../scenario/variants.js';

/** The measured starts of one scenario and variant (and arm), in the order they first appear. */
export interface StartGroup {
  readonly scenario: string;
  readonly variant: Variant;
  readonly arm?: string;
  readonly runs: RunRecord[];
}

/**
 * Measured (not warm-up), ok starts that pass `include`, grouped by arm, scenario and variant. `scenarios`: the
 * run's configured order (`config.scenarios`), which the summary's main table uses too; scenarios it does not list
 * follow in the order the runs first name them.
 */
export function groupOkStarts(
  runs: readonly RunRecord[],
  include: (r: RunRecord) => boolean,
  scenarios: readonly string[] = [],
): StartGroup[] {
  const groups = new Map<string, StartGroup>();
  for (const r of runs) {
    if (!isMeasuredOk(r) || !include(r)) continue;
    const key = armGroupId(r);
    const g = groups.get(key) ?? {
      scenario: r.scenario,
      variant: r.variant,
      ...(r.arm !== undefined ? { arm: r.arm } : {}),
      runs: [],
    };
    g.runs.push(r);
    groups.set(key, g);
  }
  // A stable order for every table and chart: scenarios as configured, then as the runs first name them, arms as the
  // runs first name them, variants cold first then by phase (the order of the runs is the seeded random order).
  const firstSeen = (
    pick: (r: RunRecord) => string | undefined,
    listed: readonly string[] = [],
  ): Map<string | undefined, number> => {
    const seen = new Map<string | undefined, number>(listed.map((x, i) => [x, i]));
    for (const r of runs) if (!seen.has(pick(r))) seen.set(pick(r), seen.size);
    return seen;
  };
  const [scenarioAt, armAt] = [firstSeen((r) => r.scenario, scenarios), firstSeen((r) => r.arm)];
  return [...groups.values()].sort(
    (a, b) =>
      (armAt.get(a.arm) ?? 0) - (armAt.get(b.arm) ?? 0) ||
      (scenarioAt.get(a.scenario) ?? 0) - (scenarioAt.get(b.scenario) ?? 0) ||
      variantRank(a.variant) - variantRank(b.variant),
  );
}
