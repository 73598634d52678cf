import { seededRandom } from './random.js';

export const MONTE_CARLO_PERMUTATIONS = 10_000;

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i += 1) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Largest n·k·(doubled rank-sum range) the exact counting below is allowed to take. */
export const EXACT_DP_LIMIT = 40_000_000;

/**
 * The exact permutation distribution of the rank-sum, by counting: ways[j][s] is the number of
 * j-element subsets of the pooled sample whose doubled midranks sum to s (midranks are halves,
 * doubling makes them integers). Every relabelling counted once, as a full enumeration would,
 * in O(n·k·S) instead of C(n, k).
 */
function exactRankSumTails(
  doubledRanks: readonly number[],
  k: number,
  observedDoubled: number,
): { ge: number; le: number; total: number } {
  const maxSum = doubledRanks.reduce((a, b) => a + b, 0);
  const ways: Float64Array[] = Array.from({ length: k + 1 }, () => new Float64Array(maxSum + 1));
  (ways[0] as Float64Array)[0] = 1;
  doubledRanks.forEach((r, i) => {
    for (let j = Math.min(i + 1, k); j >= 1; j -= 1) {
      const from = ways[j - 1] as Float64Array;
      const to = ways[j] as Float64Array;
      for (let sum = maxSum - r; sum >= 0; sum -= 1)
        if (from[sum] !== 0) to[sum + r] = (to[sum + r] as number) + (from[sum] as number);
    }
  });
  let ge = 0;
  let le = 0;
  let total = 0;
  (ways[k] as Float64Array).forEach((count, sum) => {
    if (count === 0) return;
    total += count;
    if (sum >= observedDoubled) ge += count;
    if (sum <= observedDoubled) le += count;
  });
  return { ge, le, total };
}

export interface PermutationResult {
  /** P(statistic >= observed) under exchangeability: candidate larger. */
  readonly pGreater: number;
  /** P(statistic <= observed): candidate smaller. */
  readonly pLess: number;
  readonly method: 'exact' | 'monte-carlo';
  /** The smallest one-sided p-value these sample sizes can give. */
  readonly minAchievableP: number;
}

/** Midranks (1-based; ties share the mean of their ranks). */
export function midranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (
      j + 1 < order.length &&
      (order[j + 1] as readonly [number, number])[0] === (order[i] as readonly [number, number])[0]
    )
      j += 1;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k += 1) ranks[(order[k] as readonly [number, number])[1]] = rank;
    i = j + 1;
  }
  return ranks;
}

/**
 * Permutation test of the rank-sum statistic (the exact Wilcoxon-Mann-Whitney test):
 * under "no change" the labels are exchangeable; the statistic is the candidate's sum of
 * midranks in the pooled sample, robust to outliers. Exact (every relabelling, counted) while
 * that fits EXACT_DP_LIMIT (up to about 45 runs a side); beyond, Monte Carlo with
 * (count + 1) / (N + 1) (Phipson & Smyth, 2010).
 */
export function permutationTest(
  baseline: readonly number[],
  candidate: readonly number[],
  seed: number,
): PermutationResult {
  if (baseline.length === 0 || candidate.length === 0)
    throw new RangeError('permutation test needs samples on both sides');
  const pooled = [...baseline, ...candidate];
  const n = pooled.length;
  const k = candidate.length;
  const doubled = midranks(pooled).map((r) => Math.round(2 * r));
  const observed = doubled.slice(baseline.length).reduce((a, b) => a + b, 0);
  if (n * k * doubled.reduce((a, b) => a + b, 0) <= EXACT_DP_LIMIT) {
    const { ge, le, total } = exactRankSumTails(doubled, k, observed);
    return { pGreater: ge / total, pLess: le / total, method: 'exact', minAchievableP: 1 / binomial(n, k) };
  }
  // Monte Carlo: a partial Fisher-Yates draw of k labels per permutation, in place.
  const random = seededRandom(seed);
  const idx = pooled.map((_, i) => i);
  let ge = 0;
  let le = 0;
  for (let p = 0; p < MONTE_CARLO_PERMUTATIONS; p += 1) {
    let sum = 0;
    for (let i = 0; i < k; i += 1) {
      const j = i + Math.floor(random() * (n - i));
      const t = idx[i] as number;
      idx[i] = idx[j] as number;
      idx[j] = t;
      sum += doubled[idx[i] as number] as number;
    }
    if (sum >= observed) ge += 1;
    if (sum <= observed) le += 1;
  }
  const N = MONTE_CARLO_PERMUTATIONS;
  return {
    pGreater: (ge + 1) / (N + 1),
    pLess: (le + 1) / (N + 1),
    method: 'monte-carlo',
    minAchievableP: 1 / (N + 1),
  };
}
