import { mean, median, quantileSorted, sampleStandardDeviation } from 'simple-statistics';
import { seededRandom } from './random.js';

export const BOOTSTRAP_RESAMPLES = 2_000;
export const CONFIDENCE_LEVEL = 0.95;
/** Modified z-score above which a sample is an outlier (Iglewicz & Hoaglin, 1993). */
export const OUTLIER_MODIFIED_Z = 3.5;

export interface Interval {
  readonly low: number;
  readonly high: number;
}

export interface Description {
  readonly n: number;
  readonly median: number;
  readonly mean: number;
  /** Sample standard deviation (n - 1); 0 for a single sample. */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  readonly p90: number;
  /** Percentile-bootstrap 95% interval of the median (seeded, so reproducible). */
  readonly medianCi: Interval;
  /** Indexes (into the given order) of outliers by the modified z-score on the MAD. */
  readonly outliers: number[];
}

function assertSamples(values: readonly number[]): void {
  if (values.length === 0) throw new RangeError('statistics need at least one sample');
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError('statistics need finite samples');
}

/** k-th smallest (0-based) by Hoare's quickselect, in place, expected O(n). */
export function selectKth(a: number[], k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i += 1;
      while ((a[j] as number) > pivot) j -= 1;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i += 1;
        j -= 1;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k] as number;
  }
  return a[k] as number;
}

/** Median of a bootstrap resample, drawing n values with replacement. */
function resampleMedian(values: readonly number[], random: () => number, scratch: number[]): number {
  const n = values.length;
  for (let i = 0; i < n; i += 1) scratch[i] = values[Math.floor(random() * n)] as number;
  if (n % 2 === 1) return selectKth(scratch, (n - 1) / 2);
  const upper = selectKth(scratch, n / 2);
  // After selection everything left of n/2 is <= upper: the lower middle is their maximum.
  let lower = -Infinity;
  for (let i = 0; i < n / 2; i += 1) if ((scratch[i] as number) > lower) lower = scratch[i] as number;
  return (lower + upper) / 2;
}

/**
 * Percentile bootstrap (Efron & Tibshirani, 1993, ch. 13): resample with replacement,
 * take the statistic, read the 2.5th and 97.5th percentiles of its distribution.
 */
export function bootstrapMedianCi(values: readonly number[], seed: number, resamples = BOOTSTRAP_RESAMPLES): Interval {
  assertSamples(values);
  const random = seededRandom(seed);
  const scratch = new Array<number>(values.length);
  const medians = new Array<number>(resamples);
  for (let b = 0; b < resamples; b += 1) medians[b] = resampleMedian(values, random, scratch);
  medians.sort((a, b) => a - b);
  const alpha = (1 - CONFIDENCE_LEVEL) / 2;
  return { low: quantileSorted(medians, alpha), high: quantileSorted(medians, 1 - alpha) };
}

/** Bootstrap interval of median(a) / median(b), resampling both groups independently. */
export function bootstrapRatioCi(
  a: readonly number[],
  b: readonly number[],
  seed: number,
  resamples = BOOTSTRAP_RESAMPLES,
): Interval {
  assertSamples(a);
  assertSamples(b);
  const random = seededRandom(seed);
  const sa = new Array<number>(a.length);
  const sb = new Array<number>(b.length);
  const ratios = new Array<number>(resamples);
  for (let i = 0; i < resamples; i += 1) ratios[i] = resampleMedian(a, random, sa) / resampleMedian(b, random, sb);
  ratios.sort((x, y) => x - y);
  const alpha = (1 - CONFIDENCE_LEVEL) / 2;
  return { low: quantileSorted(ratios, alpha), high: quantileSorted(ratios, 1 - alpha) };
}

/**
 * Outliers by the modified z-score M = 0.6745 (x - median) / MAD, |M| > 3.5
 * (Iglewicz & Hoaglin). With MAD = 0 nothing is flagged.
 */
export function madOutliers(values: readonly number[]): number[] {
  assertSamples(values);
  const med = median([...values]);
  const mad = median(values.map((v) => Math.abs(v - med)));
  if (mad === 0) return [];
  return values.flatMap((v, i) => (Math.abs((0.6745 * (v - med)) / mad) > OUTLIER_MODIFIED_Z ? [i] : []));
}

export function describe(values: readonly number[], seed: number): Description {
  assertSamples(values);
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: median(sorted),
    mean: mean(sorted),
    sd: sorted.length > 1 ? sampleStandardDeviation(sorted) : 0,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    p90: quantileSorted(sorted, 0.9),
    medianCi: bootstrapMedianCi(sorted, seed),
    outliers: madOutliers(values),
  };
}

/** The median of each key's values over many records (e.g. each timeline segment's over many starts); absent ones skipped. */
export function mediansByKey(
  records: Iterable<Readonly<Record<string, number>> | null | undefined>,
): Map<string, number> {
  const byKey = new Map<string, number[]>();
  for (const record of records)
    for (const [k, v] of Object.entries(record ?? {})) {
      const values = byKey.get(k);
      if (values) values.push(v);
      else byKey.set(k, [v]);
    }
  return new Map([...byKey].map(([k, v]) => [k, median(v)]));
}
