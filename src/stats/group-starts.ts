import { variantRank } from '../scenario/variants.js';
import type { RunRecord } from '../results/types.js';
import { armGroupId, isMeasuredOk, orderScenarios } from '../results/keys.js';
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
 * run's configured order (`config.scenarios`), as the summary's main table orders them (orderScenarios).
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
  // A stable order for every table and chart: scenarios as orderScenarios lists them, arms as the runs first name
  // them, variants cold first then by phase (the order of the runs is the seeded random order).
  const scenarioOrder = orderScenarios(scenarios, runs);
  const armOrder = [...new Set(runs.map((r) => r.arm))];
  return [...groups.values()].sort(
    (a, b) =>
      armOrder.indexOf(a.arm) - armOrder.indexOf(b.arm) ||
      scenarioOrder.indexOf(a.scenario) - scenarioOrder.indexOf(b.scenario) ||
      variantRank(a.variant) - variantRank(b.variant),
  );
}
