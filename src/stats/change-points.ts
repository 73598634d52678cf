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
  alpha: 0.05,
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

/** Sums of |r_i - r_j| over pairs within every prefix (out[t]: the first t values), by two Fenwick trees. */
function prefixPairSums(values: Float64Array, position: Int32Array, order: Int32Array, out: Float64Array): void {
  const n = values.length;
  const count = new Float64Array(n + 1);
  const sum = new Float64Array(n + 1);
  let total = 0;
  let totalSum = 0;
  out[0] = 0;
  for (let t = 0; t < n; t += 1) {
    const i = order[t] as number;
    const r = values[i] as number;
    const p = (position[i] as number) + 1;
    let below = 0;
    let belowSum = 0;
    for (let k = p - 1; k > 0; k -= k & -k) {
      below += count[k] as number;
      belowSum += sum[k] as number;
    }
    const above = total - below;
    const aboveSum = totalSum - belowSum;
    out[t + 1] = (out[t] as number) + r * below - belowSum + aboveSum - r * above;
    for (let k = p; k <= n; k += k & -k) {
      count[k] = (count[k] as number) + 1;
      sum[k] = (sum[k] as number) + r;
    }
    total += 1;
    totalSum += r;
  }
}

/** The best split of `values` taken in `order`: the index and Q = mk/(m+k) * energy distance of the two sides. */
function bestSplit(
  values: Float64Array,
  position: Int32Array,
  order: Int32Array,
  minSize: number,
  scratch: { prefix: Float64Array; suffix: Float64Array; reversed: Int32Array },
): Split {
  const n = order.length;
  prefixPairSums(values, position, order, scratch.prefix);
  for (let t = 0; t < n; t += 1) scratch.reversed[t] = order[n - 1 - t] as number;
  prefixPairSums(values, position, scratch.reversed, scratch.suffix);
  const total = scratch.prefix[n] as number;
  let best: Split = { index: -1, statistic: -Infinity };
  for (let m = minSize; m <= n - minSize; m += 1) {
    const k = n - m;
    const within1 = scratch.prefix[m] as number;
    const within2 = scratch.suffix[k] as number;
    const cross = total - within1 - within2;
    const energy = (2 * cross) / (m * k) - (2 * within1) / (m * (m - 1)) - (2 * within2) / (k * (k - 1));
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
}

function scratchFor(n: number) {
  return { prefix: new Float64Array(n + 1), suffix: new Float64Array(n + 1), reversed: new Int32Array(n) };
}

function segmentOf(series: readonly number[], start: number, end: number, minSize: number): Segment | undefined {
  const n = end - start;
  if (n < 2 * minSize) return undefined;
  const values = Float64Array.from(series.slice(start, end));
  const sorted = Array.from({ length: n }, (_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const position = new Int32Array(n);
  sorted.forEach((i, p) => (position[i] = p));
  const order = Int32Array.from({ length: n }, (_, i) => i);
  return { start, end, values, position, split: bestSplit(values, position, order, minSize, scratchFor(n)) };
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
    const permuted = bestSplit(segment.values, segment.position, order, options.minSize, scratch);
    if (permuted.statistic >= segment.split.statistic - 1e-9 * Math.abs(segment.split.statistic)) reached += 1;
    if (reached >= SEQUENTIAL_STOP_EXCEEDANCES) return [reached / b, b];
  }
  return [(reached + 1) / (options.permutations + 1), options.permutations];
}

/** Every change point found in `values` (ordered by index). */
export function findChangePoints(
  values: readonly number[],
  options: ChangePointOptions = DEFAULT_CHANGE_POINT_OPTIONS,
): ChangePoint[] {
  const random = seededRandom(options.seed);
  const found: ChangePoint[] = [];
  let segments = [segmentOf(values, 0, values.length, options.minSize)].filter((s): s is Segment => s !== undefined);
  while (segments.length > 0) {
    const candidate = segments.reduce((a, b) => (b.split.statistic > a.split.statistic ? b : a));
    if (candidate.split.index < 0) break;
    const [pValue, permutations] = splitPValue(candidate, options, random);
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

/** The first split's p-value of a series, found or not: what a gate over many series adjusts (Holm). */
export function firstSplitPValue(
  values: readonly number[],
  options: ChangePointOptions = DEFAULT_CHANGE_POINT_OPTIONS,
): number {
  const segment = segmentOf(values, 0, values.length, options.minSize);
  if (!segment || segment.split.index < 0) return 1;
  return splitPValue(segment, options, seededRandom(options.seed))[0];
}

/** The best split of a whole series and its statistic (no test): for the tests' naive reference. */
export function bestSplitOf(values: readonly number[], minSize: number): { index: number; statistic: number } {
  const segment = segmentOf(values, 0, values.length, minSize);
  return segment ? { ...segment.split } : { index: -1, statistic: -Infinity };
}
