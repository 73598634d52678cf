import { seededRandom, shuffle } from '../measure/schedule.js';

export const EXACT_PERMUTATION_LIMIT = 50_000;
export const MONTE_CARLO_PERMUTATIONS = 10_000;

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i += 1) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

function* combinations(n: number, k: number): Generator<number[]> {
  const idx = Array.from({ length: k }, (_, i) => i);
  while (true) {
    yield idx;
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i -= 1;
    if (i < 0) return;
    idx[i] = (idx[i] as number) + 1;
    for (let j = i + 1; j < k; j += 1) idx[j] = (idx[j - 1] as number) + 1;
  }
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
    while (j + 1 < order.length && (order[j + 1] as readonly [number, number])[0] === (order[i] as readonly [number, number])[0]) j += 1;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k += 1) ranks[(order[k] as readonly [number, number])[1]] = rank;
    i = j + 1;
  }
  return ranks;
}

/**
 * Permutation test of the rank-sum statistic (the exact Wilcoxon-Mann-Whitney test):
 * under "no change" the labels are exchangeable; the statistic is the candidate's sum of
 * midranks in the pooled sample, robust to outliers. Exact over every relabelling when there
 * are at most EXACT_PERMUTATION_LIMIT, otherwise Monte Carlo with (count + 1) / (N + 1)
 * (Phipson & Smyth, 2010).
 */
export function permutationTest(baseline: readonly number[], candidate: readonly number[], seed: number): PermutationResult {
  if (baseline.length === 0 || candidate.length === 0) throw new RangeError('permutation test needs samples on both sides');
  const pooled = [...baseline, ...candidate];
  const n = pooled.length;
  const k = candidate.length;
  const ranks = midranks(pooled);
  const sumRanks = (idx: readonly number[]): number => idx.reduce((a, i) => a + (ranks[i] as number), 0);
  const observed = sumRanks(candidate.map((_, i) => baseline.length + i));
  const eps = 1e-9 * Math.max(1, Math.abs(observed));
  const total = binomial(n, k);
  let ge = 0;
  let le = 0;
  if (total <= EXACT_PERMUTATION_LIMIT) {
    for (const idx of combinations(n, k)) {
      const s = sumRanks(idx);
      if (s >= observed - eps) ge += 1;
      if (s <= observed + eps) le += 1;
    }
    return { pGreater: ge / total, pLess: le / total, method: 'exact', minAchievableP: 1 / total };
  }
  const random = seededRandom(seed);
  const indexes = pooled.map((_, i) => i);
  for (let i = 0; i < MONTE_CARLO_PERMUTATIONS; i += 1) {
    const v = sumRanks(shuffle(indexes, random).slice(0, k));
    if (v >= observed - eps) ge += 1;
    if (v <= observed + eps) le += 1;
  }
  const N = MONTE_CARLO_PERMUTATIONS;
  return { pGreater: (ge + 1) / (N + 1), pLess: (le + 1) / (N + 1), method: 'monte-carlo', minAchievableP: 1 / (N + 1) };
}
