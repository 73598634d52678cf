import type { SequentialDesign } from '../results/types.js';
import type { Variant } from '../scenario/variants.js';
import type { ComparableMetric, Comparison } from './compare.js';

/** What the sequential gate (sequential.ts) computes at its looks, and what its text and look helpers read. */

/** One comparison at one look. */
export interface LookFigures {
  readonly n: number;
  readonly ratio: number;
  /** The repeated 95% interval of the ratio at this look. */
  readonly interval: { readonly low: number; readonly high: number };
  /** |z| and the boundary it must reach at the comparison's Holm level (both on the z scale). */
  readonly z: number;
  readonly boundary: number;
  /** Repeated p-value so far and after Holm. */
  readonly pRepeated: number;
  readonly pAdjusted: number;
}

export interface SequentialComparison extends Comparison {
  /** The round at which its verdict was reached (absent: undecided). */
  readonly decidedAtRound?: number;
  readonly look: LookFigures;
}

export interface Look {
  readonly round: number;
  /** Gated comparisons with a verdict after this look, of `gated`. */
  readonly decided: number;
  readonly gated: number;
}

export interface SequentialOutcome {
  readonly design: SequentialDesign;
  readonly baselineArm: string;
  readonly looks: readonly Look[];
  /** The comparisons after the last look (their verdicts as reached). */
  readonly comparisons: readonly SequentialComparison[];
  /** The gate's answer is known: a gated regression, or every gated comparison has a verdict. */
  readonly decided: boolean;
  /** The last complete round (0 if none). */
  readonly rounds: number;
}

export interface Key {
  readonly scenario: string;
  readonly variant: Variant;
  readonly metric: ComparableMetric;
  readonly arm: string;
  readonly gating: boolean;
  readonly baseline: Map<number, number>;
  readonly candidate: Map<number, number>;
}
