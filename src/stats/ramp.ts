import type { Variant } from '../scenario/variants.js';
import { isBaselineVariant } from '../scenario/variants.js';
import { median, quantile } from 'simple-statistics';
import type { RunRecord } from '../results/types.js';
import { groupOkStarts } from './group-starts.js';

/** Per second since launch: the median and range of the verified starts' checked responses. */
export interface RampCurvePoint {
  readonly second: number;
  readonly median: number;
  readonly low: number;
  readonly high: number;
  readonly starts: number;
}

export interface RampGroup {
  readonly scenario: string;
  readonly variant: Variant;
  readonly arm?: string;
  readonly starts: number;
  readonly curve: readonly RampCurvePoint[];
  readonly errors: number;
  readonly requests: number;
  readonly concurrency: number;
  /** Median of each start's peak. */
  readonly peakRps?: number;
  /** When the median curve first reaches 90% of its own peak, and of the cold variant's median curve's peak. */
  readonly to90OwnPeakMs?: number;
  readonly to90ColdPeakMs?: number;
  readonly first10s?: number;
  readonly first30s?: number;
  readonly first60s?: number;
  readonly rssUnderLoadKb?: number;
  readonly readyMs?: number;
  readonly firstResponseMs?: number;
}

const med = (xs: readonly (number | undefined)[]): number | undefined => {
  const v = xs.filter((x): x is number => x !== undefined);
  return v.length > 0 ? median(v) : undefined;
};

/** The ramp-up of every scenario, variant (and arm) with --ramp-up starts: curves and derived figures. */
export function rampGroups(runs: readonly RunRecord[], scenarios: readonly string[] = []): RampGroup[] {
  const groups = groupOkStarts(runs, (r) => r.rampUp !== undefined, scenarios);
  const curves = groups.map(({ runs: rs }) => medianCurve(rs));
  const peakOf = (curve: readonly RampCurvePoint[]): number | undefined =>
    curve.length > 0 ? Math.max(...curve.map((p) => p.median)) : undefined;
  /** When the median curve first reaches a level: the end of that second. */
  const reach = (curve: readonly RampCurvePoint[], level: number | undefined): number | undefined => {
    if (level === undefined) return undefined;
    const hit = curve.find((p) => p.median >= level);
    return hit ? (hit.second + 1) * 1000 : undefined;
  };
  return groups.map(({ arm, scenario, variant, runs: rs }, i) => {
    const curve = curves[i] as RampCurvePoint[];
    const coldAt = groups.findIndex((g) => g.arm === arm && g.scenario === scenario && isBaselineVariant(g.variant));
    const coldPeak = coldAt < 0 ? undefined : peakOf(curves[coldAt] as RampCurvePoint[]);
    const ownPeak = peakOf(curve);
    const opt = <T>(k: string, v: T | undefined): Record<string, T> => (v === undefined ? {} : { [k]: v });
    return {
      scenario,
      variant,
      ...(arm !== undefined ? { arm } : {}),
      starts: rs.length,
      curve,
      errors: rs.reduce((a, r) => a + (r.rampUp?.errors ?? 0), 0),
      requests: rs.reduce((a, r) => a + (r.rampUp?.requests ?? 0), 0),
      concurrency: rs[0]?.rampUp?.concurrency ?? 0,
      ...opt('peakRps', med(rs.map((r) => r.metrics.rampPeakRps))),
      // Both times read off the same median curve, so the cold variant's two are equal and no variant reaches 90%
      // of a higher peak before 90% of its own lower one (medians of per-start times did both).
      ...opt('to90OwnPeakMs', reach(curve, ownPeak === undefined ? undefined : 0.9 * ownPeak)),
      ...opt('to90ColdPeakMs', reach(curve, coldPeak === undefined ? undefined : 0.9 * coldPeak)),
      ...opt('first10s', med(rs.map((r) => r.metrics.rampRequests10s))),
      ...opt('first30s', med(rs.map((r) => r.metrics.rampRequests30s))),
      ...opt('first60s', med(rs.map((r) => r.metrics.rampRequests60s))),
      ...opt('rssUnderLoadKb', med(rs.map((r) => r.metrics.rssUnderLoadKb))),
      ...opt('readyMs', med(rs.map((r) => r.metrics.readyMs))),
      ...opt('firstResponseMs', med(rs.map((r) => r.metrics.firstResponseMs))),
    };
  });
}

/** Per second since launch: the median (and quartiles) of the starts' checked responses while their load ran. */
function medianCurve(rs: readonly RunRecord[]): RampCurvePoint[] {
  const seconds = [...new Set(rs.flatMap((r) => r.rampUp?.buckets.map((b) => b.second) ?? []))].sort((a, b) => a - b);
  const last = Math.max(...seconds, 0);
  const curve: RampCurvePoint[] = [];
  for (let s = 0; s <= last; s += 1) {
    // A start serves 0 in a second before its load began; after its load ended it has no value.
    const values = rs
      .filter((r) => (r.rampUp?.loadEndMs ?? 0) >= (s + 1) * 1000)
      .map((r) => r.rampUp?.buckets.find((b) => b.second === s)?.requests ?? 0);
    if (values.length === 0) continue;
    curve.push({
      second: s,
      median: median(values),
      low: quantile(values, 0.25),
      high: quantile(values, 0.75),
      starts: values.length,
    });
  }
  return curve;
}
