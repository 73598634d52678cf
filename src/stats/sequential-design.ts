import type { SequentialDesign } from '../results/types.js';
import { SIGNIFICANCE_ALPHA } from './compare.js';
import { type SpendingFunction } from './spending.js';
import { TRIM } from './trimmed.js';

export const DEFAULT_MIN_ROUNDS = 5;

/** The fewest rounds a look can use: the trimmed mean keeps h >= 3 values (2 degrees of freedom). */
export const MIN_SEQUENTIAL_ROUNDS = 4;

/** 1.6 x the fixed gate's 25 rounds (issue 26's bound on the maximum). */
export const DEFAULT_MAX_ROUNDS = 40;

export const DEFAULT_SPENDING: SpendingFunction = 'pocock';

/** "unchanged" as in the fixed gate: the (repeated) 95% interval inside the band. */
export const DEFAULT_EQUIVALENCE_ALPHA = SIGNIFICANCE_ALPHA;

/** "not worse": the repeated one-sided bound at this level (see "Not worse" above). */
export const DEFAULT_FUTILITY_ALPHA = 0.05;

export const DEFAULT_FUTILITY_SPENDING: SpendingFunction = 'pocock';

/** The regression "not worse" rules out by default: twice the threshold (the change the gate must find, at 90% power). */
export const notWorseMarginFor = (thresholdPct: number): number => Math.min(99, 2 * thresholdPct);

export function sequentialDesign(opts: {
  readonly thresholdPct: number;
  readonly metrics: readonly string[];
  readonly primary?: string;
  readonly minRounds?: number;
  readonly maxRounds?: number;
  readonly spending?: SpendingFunction;
  readonly equivalenceAlpha?: number;
  /** false: no futility boundary (the design before "not worse" existed); a field left out takes its default. */
  readonly futility?:
    { readonly alpha?: number; readonly spending?: SpendingFunction; readonly marginPct?: number } | false;
}): SequentialDesign {
  const futility =
    opts.futility === false
      ? undefined
      : {
          alpha: opts.futility?.alpha ?? DEFAULT_FUTILITY_ALPHA,
          spending: opts.futility?.spending ?? DEFAULT_FUTILITY_SPENDING,
          marginPct: opts.futility?.marginPct ?? notWorseMarginFor(opts.thresholdPct),
        };
  return {
    method: 'group-sequential',
    statistic: 'trimmed-t',
    trim: TRIM,
    spending: opts.spending ?? DEFAULT_SPENDING,
    alpha: SIGNIFICANCE_ALPHA,
    equivalenceAlpha: opts.equivalenceAlpha ?? DEFAULT_EQUIVALENCE_ALPHA,
    stopRule: 'first-regression-or-all-decided',
    minRounds: opts.minRounds ?? DEFAULT_MIN_ROUNDS,
    maxRounds: opts.maxRounds ?? DEFAULT_MAX_ROUNDS,
    thresholdPct: opts.thresholdPct,
    metrics: opts.metrics,
    ...(opts.primary !== undefined ? { primary: opts.primary } : {}),
    ...(futility !== undefined ? { futility } : {}),
  };
}
