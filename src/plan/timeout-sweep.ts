import { DEFAULT_ARRIVAL_RATE } from './defaults.js';
import type { Variant } from '../scenario/variants.js';
import type { RunRecord } from '../results/types.js';
import type { GroupKey } from '../results/keys.js';
import { measuredStartupsMs, planVariant } from './capacity.js';
import { DEFAULT_PLAN_INPUT } from './defaults.js';

/** Idle timeouts (s) the report's scale-to-zero chart sweeps. */
// At plan's 0.05 requests/s a share e^(-0.05 T) of requests finds no instance: under 1% past about 92 s, so the
// chart spends its points where the curves move.
export const SWEEP_IDLE_TIMEOUTS_S = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 135, 150, 180];
/** The rate the chart sweeps at: plan's default, so its points are what `plan --idle-timeout S` prints. */
export const SWEEP_RATE_PER_S = DEFAULT_ARRIVAL_RATE;

export interface SweepPoint {
  readonly scenario: string;
  readonly variant: Variant;
  readonly idleTimeoutS: number;
  readonly p99: number;
  readonly coldShare: number;
}

/** p99 added latency and cold-start share against the idle timeout, per group, from the measured startups. */
export function idleTimeoutSweep(runs: readonly RunRecord[], groups: readonly GroupKey[]): SweepPoint[] {
  return groups.flatMap((g) => {
    const startups = measuredStartupsMs(runs, g.scenario, g.variant);
    if (startups.length === 0) return [];
    return SWEEP_IDLE_TIMEOUTS_S.map((idle) => {
      const p = planVariant(g.scenario, g.variant, startups, {
        ...DEFAULT_PLAN_INPUT,
        arrivalRatePerS: SWEEP_RATE_PER_S,
        idleTimeoutS: idle,
      });
      return {
        scenario: g.scenario,
        variant: g.variant,
        idleTimeoutS: idle,
        p99: p.addedLatencyMs.p99,
        coldShare: p.coldShare,
      };
    });
  });
}
