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

/** Measured (not warm-up), ok starts that pass `include`, grouped by arm, scenario and variant. */
export function groupOkStarts(runs: readonly RunRecord[], include: (r: RunRecord) => boolean): StartGroup[] {
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
  // A stable order for every table and chart: scenarios as the runs first name them, arms likewise, variants cold first
  // then by phase (the order of the runs themselves is the seeded random order).
  const firstSeen = (pick: (r: RunRecord) => string | undefined): Map<string | undefined, number> => {
    const seen = new Map<string | undefined, number>();
    for (const r of runs) if (!seen.has(pick(r))) seen.set(pick(r), seen.size);
    return seen;
  };
  const [scenarioAt, armAt] = [firstSeen((r) => r.scenario), firstSeen((r) => r.arm)];
  return [...groups.values()].sort(
    (a, b) =>
      (armAt.get(a.arm) ?? 0) - (armAt.get(b.arm) ?? 0) ||
      (scenarioAt.get(a.scenario) ?? 0) - (scenarioAt.get(b.scenario) ?? 0) ||
      variantRank(a.variant) - variantRank(b.variant),
  );
}
