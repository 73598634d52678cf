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
  return [...groups.values()];
}
