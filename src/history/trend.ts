import { findChangePoints, firstSplit, type ChangePointOptions } from '../stats/change-points.js';
import { bootstrapRatioCi, mediansByKey, type Interval } from '../stats/describe.js';
import { holmAdjust } from '../stats/paired.js';
import { medianOrderInterval } from '../stats/order-interval.js';
import { median } from 'simple-statistics';
import type { SeriesBuild, SeriesKey, StoredSeries } from '../store/read.js';
import { describeDifference } from './differences.js';
import { HOST_BAND_RATIO } from '../hostspeed/index.js';
import { isReferenced } from '../store/record.js';

/**
 * Change points across builds (pure): each series (scenario x variant x arm x metric x host class) as one value per
 * build, the median of its starts; E-divisive with a permutation test (stats/change-points.ts) over the build order.
 * Many series can fail one nightly gate, so the family-wise error is controlled across them (Holm on each series'
 * first split); a series that passes its Holm level is split further at that level.
 */
export interface TrendOptions {
  /** Family-wise error across the series of one trend. */
  readonly alpha: number;
  /** Smallest change that fails --fail-on-change, percent. */
  readonly thresholdPct: number;
  readonly seed: number;
  readonly minSize: number;
}

export const DEFAULT_TREND_ALPHA = 0.04;
export const DEFAULT_TREND_THRESHOLD_PCT = 5;
/** Builds each side of a change whose medians its size's interval resamples (the nearest ones). */
export const SIZE_WINDOW_BUILDS = 500;

export interface TrendBuild {
  readonly key: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly firstAt: string;
  readonly starts: number;
  readonly median: number;
  /** Distribution-free interval of the median (order statistics) and its exact coverage. */
  readonly interval: Interval & { readonly coverage: number };
  readonly reports: readonly string[];
  /** The results files it was added from. */
  readonly sources: readonly string[];
  /** What a change may coincide with (labels, cold state, JDK, Liberty, images, options). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly hostSpeedIndex?: number;
  /** The build's host speed index lies outside the series' band (its median within HOST_BAND_RATIO). */
  readonly hostOffBand?: boolean;
}

export interface TrendChange extends SeriesKey {
  /** Index (0-based) of the first build after the change. */
  readonly index: number;
  readonly build: string;
  /** The labels of the first build after the change. */
  readonly labels: Readonly<Record<string, string>>;
  readonly previousBuild: string;
  readonly beforeMedian: number;
  readonly afterMedian: number;
  readonly buildsBefore: number;
  readonly buildsAfter: number;
  /** after / before, with a bootstrap 95% interval over the builds' medians. */
  readonly ratio: number;
  readonly interval: Interval;
  readonly pValue: number;
  readonly direction: 'slower' | 'faster';
  readonly beyondThreshold: boolean;
  /** The timeline segment whose median moved most, when the starts recorded timelines. */
  readonly segment?: { readonly name: string; readonly beforeMs: number; readonly afterMs: number };
  /** Recorded differences that change exactly here ("from build 7 cold starts began from a clean state"). */
  readonly coincides: readonly string[];
}

export interface TrendSeries extends SeriesKey {
  readonly builds: readonly TrendBuild[];
  readonly changePoints: readonly TrendChange[];
  readonly firstSplitP: number;
  readonly adjustedP: number;
  /** The median host speed index of its builds: the centre of the band builds are marked off (absolute series). */
  readonly hostSpeedMedian?: number;
}

export interface TrendResult {
  readonly series: readonly TrendSeries[];
  readonly changePoints: readonly TrendChange[];
  readonly method: {
    readonly name: 'e-divisive';
    readonly alpha: number;
    readonly permutations: number;
    readonly minBuildsPerSide: number;
    readonly familyWise: 'holm';
    readonly thresholdPct: number;
  };
}

export const medianOf = (values: readonly number[]): number => median([...values]);

export const buildName = (b: Pick<SeriesBuild, 'labels' | 'key'>): string => b.labels.build ?? b.key;

function movedSegment(before: readonly SeriesBuild[], after: readonly SeriesBuild[]): TrendChange['segment'] {
  const a = mediansByKey(before.flatMap((x) => x.segments));
  const b = mediansByKey(after.flatMap((x) => x.segments));
  let best: TrendChange['segment'];
  for (const [name, beforeMs] of a) {
    const afterMs = b.get(name);
    if (afterMs === undefined) continue;
    if (!best || Math.abs(afterMs - beforeMs) > Math.abs(best.afterMs - best.beforeMs))
      best = { name, beforeMs, afterMs };
  }
  return best;
}

/** Attributes constant over the builds before the change and over those after it, with another value after. */
function coincidences(before: readonly SeriesBuild[], after: readonly SeriesBuild[], name: string): string[] {
  const constant = (builds: readonly SeriesBuild[], key: string): string | undefined => {
    const values = new Set(builds.map((b) => b.attributes[key] ?? ''));
    return values.size === 1 ? [...values][0] : undefined;
  };
  const keys = new Set([...before, ...after].flatMap((b) => Object.keys(b.attributes)));
  const out: string[] = [];
  for (const key of [...keys].sort()) {
    const was = constant(before, key);
    const is = constant(after, key);
    if (was !== undefined && is !== undefined && was !== is) out.push(describeDifference(name, key, was, is));
  }
  return out;
}

function changeAt(
  series: StoredSeries,
  medians: readonly number[],
  bounds: readonly number[],
  c: { index: number; pValue: number },
  options: TrendOptions,
): TrendChange {
  const i = bounds.indexOf(c.index);
  const from = Math.max(bounds[i - 1] as number, c.index - SIZE_WINDOW_BUILDS);
  const to = Math.min(bounds[i + 1] as number, c.index + SIZE_WINDOW_BUILDS);
  const before = medians.slice(from, c.index);
  const after = medians.slice(c.index, to);
  const ratio = medianOf(after) / medianOf(before);
  const first = series.builds[c.index] as SeriesBuild;
  const segment = movedSegment(series.builds.slice(from, c.index), series.builds.slice(c.index, to));
  return {
    scenario: series.scenario,
    variant: series.variant,
    arm: series.arm,
    hostClass: series.hostClass,
    metric: series.metric,
    index: c.index,
    build: buildName(first),
    labels: first.labels,
    previousBuild: buildName(series.builds[c.index - 1] as SeriesBuild),
    beforeMedian: medianOf(before),
    afterMedian: medianOf(after),
    buildsBefore: before.length,
    buildsAfter: after.length,
    ratio,
    interval: bootstrapRatioCi(after, before, options.seed + c.index),
    pValue: c.pValue,
    direction: ratio >= 1 ? 'slower' : 'faster',
    beyondThreshold: Math.abs(ratio - 1) * 100 >= options.thresholdPct,
    ...(segment ? { segment } : {}),
    coincides: coincidences(
      series.builds.slice(bounds[i - 1] as number, c.index),
      series.builds.slice(c.index, bounds[i + 1] as number),
      buildName(first),
    ),
  };
}

/**
 * A build's host speed index against its series' median: off the band when the two differ by more than the ratio at
 * which two hosts' timings stop being comparable one to one (HOST_BAND_RATIO). A referenced series is made of
 * ratios in which the host cancels, so its builds are never marked.
 */
function hostBand(b: SeriesBuild, centre: number | undefined): Pick<TrendBuild, 'hostSpeedIndex' | 'hostOffBand'> {
  if (b.hostSpeedIndex === undefined) return {};
  if (centre === undefined) return { hostSpeedIndex: b.hostSpeedIndex };
  const ratio = Math.max(b.hostSpeedIndex / centre, centre / b.hostSpeedIndex);
  return { hostSpeedIndex: b.hostSpeedIndex, ...(ratio > HOST_BAND_RATIO ? { hostOffBand: true } : {}) };
}

/** Permutations enough for the smallest Holm level to be reachable (p >= 1/(R+1)), at least 999. */
export const permutationsFor = (seriesCount: number, alpha: number): number =>
  Math.max(999, Math.ceil((10 * seriesCount) / alpha) - 1);

export function trendOf(all: readonly StoredSeries[], options: TrendOptions): TrendResult {
  const permutations = permutationsFor(all.length, options.alpha);
  const cp = (alpha: number): ChangePointOptions => ({
    alpha,
    permutations,
    minSize: options.minSize,
    seed: options.seed,
  });
  const medians = all.map((s) => s.builds.map((b) => medianOf(b.values)));
  const firsts = medians.map((m) => firstSplit(m, cp(1)));
  const firstP = firsts.map((f) => f.pValue);
  const adjusted = holmAdjust(firstP);
  // Holm's step-down levels: the k-th smallest p is tested at alpha / (m - k + 1) while every smaller one passed.
  const order = firstP.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const level = new Map<number, number>();
  for (const [rank, [p, i]] of order.entries()) {
    const at = options.alpha / (all.length - rank);
    if (p > at) break;
    level.set(i, at);
  }
  const bandCentre = all.map((s) => {
    if (isReferenced(s)) return undefined;
    const indices = s.builds.flatMap((b) => (b.hostSpeedIndex === undefined ? [] : [b.hostSpeedIndex]));
    return indices.length >= 3 ? medianOf(indices) : undefined;
  });
  const series = all.map((s, i): TrendSeries => {
    const m = medians[i] as number[];
    const alpha = level.get(i);
    const found = alpha === undefined ? [] : findChangePoints(m, cp(alpha), firsts[i]);
    const bounds = [0, ...found.map((c) => c.index), m.length];
    return {
      scenario: s.scenario,
      variant: s.variant,
      arm: s.arm,
      hostClass: s.hostClass,
      metric: s.metric,
      firstSplitP: firstP[i] as number,
      adjustedP: adjusted[i] as number,
      ...(bandCentre[i] !== undefined ? { hostSpeedMedian: bandCentre[i] } : {}),
      builds: s.builds.map((b, k) => ({
        ...hostBand(b, bandCentre[i]),
        key: b.key,
        name: buildName(b),
        labels: b.labels,
        firstAt: b.firstAt,
        starts: b.values.length,
        median: m[k] as number,
        interval: medianOrderInterval(b.values),
        reports: [...new Set(b.reports)],
        sources: [...new Set(b.sources)],
        attributes: b.attributes,
      })),
      changePoints: found.map((c) => changeAt(s, m, bounds, c, options)),
    };
  });
  return {
    series,
    changePoints: series.flatMap((s) => s.changePoints),
    method: {
      name: 'e-divisive',
      alpha: options.alpha,
      permutations,
      minBuildsPerSide: options.minSize,
      familyWise: 'holm',
      thresholdPct: options.thresholdPct,
    },
  };
}

/** The nightly gate: series whose newest builds lie past a change point that made them slower beyond the threshold. */
export function gateFindings(trend: TrendResult): TrendChange[] {
  return trend.series.flatMap((s) => {
    const last = s.changePoints[s.changePoints.length - 1];
    return last && last.direction === 'slower' && last.beyondThreshold ? [last] : [];
  });
}
