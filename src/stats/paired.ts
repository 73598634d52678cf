import { median } from 'simple-statistics';
import { BOOTSTRAP_RESAMPLES, type Interval } from './describe.js';
import { midranks } from './permutation.js';
import { seededRandom } from './random.js';

/**
 * Paired statistics for A/B arms measured in one interleaved run: round r holds one start of
 * each arm, so host drift that moves a whole round moves both arms and cancels in the pair.
 */

export interface SignedRankResult {
  /** P(W+ >= observed) under "no change": the candidate larger. */
  readonly pGreater: number;
  /** P(W+ <= observed): the candidate smaller. */
  readonly pLess: number;
  /** Two-sided: min(1, 2 min(pGreater, pLess)). */
  readonly pTwoSided: number;
  /** Rounds with a non-zero difference (zeros are dropped, Wilcoxon's convention). */
  readonly n: number;
  /** The smallest two-sided p-value n pairs can give. */
  readonly minAchievableP: number;
}

/**
 * Wilcoxon's signed-rank test on paired differences, exact: under "no change" each
 * difference's sign is a fair coin, so the distribution of W+ (the sum of the midranks of
 * |d| over positive d) is counted over all 2^n sign flips, by dynamic programming over the
 * doubled midranks (ties keep exact counts). O(n · sum of ranks): instant for any round count
 * a run makes.
 */
export function signedRankTest(differences: readonly number[]): SignedRankResult {
  const d = differences.filter((x) => x !== 0 && Number.isFinite(x));
  const n = d.length;
  if (n === 0) return { pGreater: 1, pLess: 1, pTwoSided: 1, n: 0, minAchievableP: 1 };
  const doubled = midranks(d.map(Math.abs)).map((r) => Math.round(2 * r));
  const total = doubled.reduce((a, b) => a + b, 0);
  const observed = doubled.reduce((s, r, i) => s + ((d[i] as number) > 0 ? r : 0), 0);
  // ways[s]: the number of sign assignments whose positive doubled ranks sum to s.
  let ways = new Float64Array(total + 1);
  ways[0] = 1;
  for (const r of doubled) {
    const next = new Float64Array(total + 1);
    for (let s = 0; s <= total; s += 1) {
      const w = ways[s] as number;
      if (w === 0) continue;
      next[s] = (next[s] as number) + w; // negative sign
      next[s + r] = (next[s + r] as number) + w; // positive sign
    }
    ways = next;
  }
  const all = 2 ** n;
  let ge = 0;
  let le = 0;
  ways.forEach((w, s) => {
    if (s >= observed) ge += w;
    if (s <= observed) le += w;
  });
  const pGreater = ge / all;
  const pLess = le / all;
  return {
    pGreater,
    pLess,
    pTwoSided: Math.min(1, 2 * Math.min(pGreater, pLess)),
    n,
    minAchievableP: Math.min(1, 2 / all),
  };
}

/** Hodges-Lehmann estimate: the median of the Walsh averages (the estimate that goes with the signed-rank test). */
export function hodgesLehmann(d: readonly number[]): number {
  const walsh: number[] = [];
  for (let i = 0; i < d.length; i += 1)
    for (let j = i; j < d.length; j += 1) walsh.push(((d[i] as number) + (d[j] as number)) / 2);
  return median(walsh);
}

/**
 * The paired change as a ratio (candidate / baseline): exp of the Hodges-Lehmann estimate of
 * the per-round log ratios, with a bootstrap 95% interval that resamples whole rounds
 * (percentile method, BOOTSTRAP_RESAMPLES draws). Drift shared by the arms of a round cancels
 * in each log ratio; one slow start moves the estimate little.
 */
export function pairedRatio(
  baseline: readonly number[],
  candidate: readonly number[],
  seed: number,
  resamples = BOOTSTRAP_RESAMPLES,
  strata?: readonly string[],
): { ratio: number; ci: Interval } {
  if (baseline.length !== candidate.length || baseline.length === 0)
    throw new RangeError('paired samples need the same, non-zero length');
  const n = baseline.length;
  const d = baseline.map((b, i) => Math.log((candidate[i] as number) / b));
  const ratio = Math.exp(hodgesLehmann(d));
  const random = seededRandom(seed);
  const estimates = new Float64Array(resamples);
  const sample = new Array<number>(n);
  // Rounds from several hosts (merged shards): each resample draws every host's rounds from that host's own.
  const groups = strata ? [...new Set(strata)].map((s) => d.filter((_, i) => strata[i] === s)) : [d];
  for (let k = 0; k < resamples; k += 1) {
    let i = 0;
    for (const g of groups)
      for (let j = 0; j < g.length; j += 1) sample[i++] = g[Math.floor(random() * g.length)] as number;
    estimates[k] = hodgesLehmann(sample);
  }
  estimates.sort();
  return {
    ratio,
    ci: {
      low: Math.exp(estimates[Math.floor(0.025 * (resamples - 1))] as number),
      high: Math.exp(estimates[Math.ceil(0.975 * (resamples - 1))] as number),
    },
  };
}

/**
 * Holm's step-down adjustment (Holm 1979): controls the family-wise error rate across every
 * comparison that can fail one gate, without assuming independence. Returns the adjusted
 * p-values in the input order.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/**
 * Rounds that the observed spread says would decide an inconclusive comparison: the interval
 * half-width shrinks as 1/sqrt(rounds); it must fall within the distance from the ratio to the
 * nearest decision (the threshold band's edge for "unchanged", 1 for "changed").
 */
export function roundsToDecide(n: number, ratio: number, ci: Interval, thresholdFraction: number): number | undefined {
  const halfWidth = (Math.log(ci.high) - Math.log(ci.low)) / 2;
  const shift = Math.abs(Math.log(ratio));
  const band = Math.log(1 + thresholdFraction);
  const room = Math.max(band - shift, shift);
  if (!(halfWidth > 0) || !(room > 0)) return undefined;
  return Math.ceil(n * (halfWidth / room) ** 2);
}

/**
 * The fewest paired rounds at which `comparisons` Holm-corrected signed-rank tests can reach a verdict at `alpha`: the
 * exact test's smallest two-sided p at n rounds is 2/2^n, and Holm multiplies the smallest p by the family's size.
 */
export function roundsForHolmFloor(comparisons: number, alpha: number): number {
  let n = 1;
  while ((Math.max(1, comparisons) * 2) / 2 ** n > alpha) n += 1;
  return n;
}
