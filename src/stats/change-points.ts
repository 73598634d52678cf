import { seededRandom } from './random.js';

/**
 * Change points in a series (one value per build, in build order): E-divisive (Matteson and James, "A
 * Nonparametric Approach for Multiple Change Point Analysis of Multivariate Data", JASA 2014; the method of the
 * family Apache Otava and MongoDB's signal processing use), on the values with the energy statistic's exponent 1, so the
 * statistic is O(n log n) per split (pairwise distance sums by Fenwick trees over the values' sorted order). Not on
 * ranks: every rank-separated split has the same energy, so ranks would pull a change towards the middle of the
 * series. Bisection is hierarchical: the segment whose best split has the largest statistic
 * is tested first; a split is kept when its permutation p-value (the builds of that segment shuffled, the best split
 * searched again each time) is at most `alpha`; the first split that is not stops the search.
 */
export interface ChangePointOptions {
  /** Level of each split's permutation test. */
  readonly alpha: number;
  /** Most permutations per test; fewer when the answer is clear (Besag and Clifford's sequential stop). */
  readonly permutations: number;
  /** Fewest builds on either side of a split. */
  readonly minSize: number;
  readonly seed: number;
}

export const DEFAULT_CHANGE_POINT_OPTIONS: ChangePointOptions = {
  alpha: 0.04,
  permutations: 999,
  minSize: 2,
  seed: 1,
};

/** Besag and Clifford (1991): a Monte Carlo p-value may stop once this many permutations reached the statistic. */
export const SEQUENTIAL_STOP_EXCEEDANCES = 20;

export interface ChangePoint {
  /** Index of the first value after the change. */
  readonly index: number;
  readonly statistic: number;
  readonly pValue: number;
  /** Permutations run for the p-value. */
  readonly permutations: number;
}

interface Split {
  readonly index: number;
  readonly statistic: number;
}

/** Per segment: each value's summed distance to all the others (fixed under any order), and the pairs' total. */
interface Distances {
  readonly toAll: Float64Array;
  readonly total: number;
}

function distancesOf(values: Float64Array, sorted: readonly number[]): Distances {
  const n = values.length;
  const toAll = new Float64Array(n);
  let below = 0;
  let total = 0;
  const sumAll = values.reduce((a, b) => a + b, 0);
  sorted.forEach((i, p) => {
    const v = values[i] as number;
    // p values are at most v (sum `below`), n - p - 1 at least v.
    toAll[i] = v * p - below + (sumAll - below - v) - v * (n - p - 1);
    total += v * p - below;
    below += v;
  });
  return { toAll, total };
}

interface Scratch {
  readonly count: Float64Array;
  readonly sum: Float64Array;
}

/**
 * The best split of `values` taken in `order`: the index and Q = mk/(m+k) * energy distance of the two sides. One pass:
 * moving each value from the right side to the left, its distance to the left (a Fenwick tree over the values' sorted
 * positions) updates the left's, the right's and the cross sums of pairwise distances.
 */
function bestSplit(
  values: Float64Array,
  position: Int32Array,
  distances: Distances,
  order: Int32Array,
  minSize: number,
  scratch: Scratch,
): Split {
  const n = order.length;
  const { count, sum } = scratch;
  count.fill(0);
  sum.fill(0);
  let left = 0;
  let cross = 0;
  let right = distances.total;
  let inserted = 0;
  let insertedSum = 0;
  let best: Split = { index: -1, statistic: -Infinity };
  for (let t = 0; t < n - minSize; t += 1) {
    const i = order[t] as number;
    const v = values[i] as number;
    const p = (position[i] as number) + 1;
    let below = 0;
    let belowSum = 0;
    for (let k = p - 1; k > 0; k -= k & -k) {
      below += count[k] as number;
      belowSum += sum[k] as number;
    }
    const toLeft = v * below - belowSum + (insertedSum - belowSum) - v * (inserted - below);
    const toRight = (distances.toAll[i] as number) - toLeft;
    left += toLeft;
    cross += toRight - toLeft;
    right -= toRight;
    for (let k = p; k <= n; k += k & -k) {
      count[k] = (count[k] as number) + 1;
      sum[k] = (sum[k] as number) + v;
    }
    inserted += 1;
    insertedSum += v;
    const m = t + 1;
    if (m < minSize) continue;
    const k = n - m;
    const energy = (2 * cross) / (m * k) - (2 * left) / (m * (m - 1)) - (2 * right) / (k * (k - 1));
    const q = ((m * k) / n) * energy;
    if (q > best.statistic) best = { index: m, statistic: q };
  }
  return best;
}

interface Segment {
  readonly start: number;
  readonly end: number;
  readonly split: Split;
  readonly values: Float64Array;
  readonly position: Int32Array;
  readonly distances: Distances;
}

const scratchFor = (n: number): Scratch => ({ count: new Float64Array(n + 1), sum: new Float64Array(n + 1) });

function segmentOf(series: readonly number[], start: number, end: number, minSize: number): Segment | undefined {
  const n = end - start;
  if (n < 2 * minSize) return undefined;
  const values = Float64Array.from(series.slice(start, end));
  const sorted = Array.from({ length: n }, (_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const position = new Int32Array(n);
  sorted.forEach((i, p) => (position[i] = p));
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const distances = distancesOf(values, sorted);
  const split = bestSplit(values, position, distances, order, minSize, scratchFor(n));
  return { start, end, values, position, distances, split };
}

/** Permutation p-value of a segment's best split: the builds shuffled, the best split searched again each time. */
function splitPValue(segment: Segment, options: ChangePointOptions, random: () => number): [number, number] {
  const n = segment.end - segment.start;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const scratch = scratchFor(n);
  let reached = 0;
  for (let b = 1; b <= options.permutations; b += 1) {
    for (let i = n - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    const permuted = bestSplit(segment.values, segment.position, segment.distances, order, options.minSize, scratch);
    if (permuted.statistic >= segment.split.statistic - 1e-9 * Math.abs(segment.split.statistic)) reached += 1;
    if (reached >= SEQUENTIAL_STOP_EXCEEDANCES) return [reached / b, b];
  }
  return [(reached + 1) / (options.permutations + 1), options.permutations];
}

/** Every change point found in `values` (ordered by index). */
export function findChangePoints(
  values: readonly number[],
  options: ChangePointOptions = DEFAULT_CHANGE_POINT_OPTIONS,
  first?: FirstSplit,
): ChangePoint[] {
  const random = seededRandom(options.seed);
  // The first test's permutations already drawn (firstSplit with the same seed): not drawn twice.
  if (first) for (let i = 0; i < first.draws; i += 1) random();
  const found: ChangePoint[] = [];
  let segments = [segmentOf(values, 0, values.length, options.minSize)].filter((s): s is Segment => s !== undefined);
  while (segments.length > 0) {
    const candidate = segments.reduce((a, b) => (b.split.statistic > a.split.statistic ? b : a));
    if (candidate.split.index < 0) break;
    const [pValue, permutations] =
      first && found.length === 0 ? [first.pValue, first.permutations] : splitPValue(candidate, options, random);
    if (pValue > options.alpha) break;
    const index = candidate.start + candidate.split.index;
    found.push({ index, statistic: candidate.split.statistic, pValue, permutations });
    segments = [
      ...segments.filter((s) => s !== candidate),
      segmentOf(values, candidate.start, index, options.minSize),
      segmentOf(values, index, candidate.end, options.minSize),
    ].filter((s): s is Segment => s !== undefined);
  }
  return found.sort((a, b) => a.index - b.index);
}

/** The first split's test of a series, found or not: what a gate over many series adjusts (Holm). */
export interface FirstSplit {
  readonly pValue: number;
  readonly permutations: number;
  /** Random numbers the test used (findChangePoints skips them to go on with the same stream). */
  readonly draws: number;
}

export function firstSplit(
  values: readonly number[],
  options: ChangePointOptions = DEFAULT_CHANGE_POINT_OPTIONS,
): FirstSplit {
  const segment = segmentOf(values, 0, values.length, options.minSize);
  if (!segment || segment.split.index < 0) return { pValue: 1, permutations: 0, draws: 0 };
  let draws = 0;
  const stream = seededRandom(options.seed);
  const [pValue, permutations] = splitPValue(segment, options, () => {
    draws += 1;
    return stream();
  });
  return { pValue, permutations, draws };
}

/** The best split of a whole series and its statistic (no test): for the tests' naive reference. */
export function bestSplitOf(values: readonly number[], minSize: number): { index: number; statistic: number } {
  const segment = segmentOf(values, 0, values.length, minSize);
  return segment ? { ...segment.split } : { index: -1, statistic: -Infinity };
}
