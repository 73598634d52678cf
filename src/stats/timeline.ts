import type { Variant } from '../scenario/variants.js';
import { median } from 'simple-statistics';
import { segmentsOf } from '../results/timeline.js';
import type { RunRecord, TimelineMarkName } from '../results/types.js';
import { bootstrapMedianCi, type Interval } from './describe.js';
import { groupOkStarts } from './group-starts.js';

/** One segment of a variant's waterfall: the time from the mark before `to` up to `to`. */
export interface SegmentSummary {
  readonly to: TimelineMarkName;
  /** The mark the segment most often starts at (starts of one variant can order two marks differently). */
  readonly from: TimelineMarkName;
  readonly median: number;
  readonly ci: Interval;
  /** Starts that have this segment. */
  readonly n: number;
  /** Median of the end mark's time since launch: the order of the waterfall. */
  readonly endsAtMedian: number;
}

export interface WaterfallGroup {
  readonly scenario: string;
  readonly variant: Variant;
  readonly arm?: string;
  readonly starts: number;
  readonly segments: readonly SegmentSummary[];
}

const mostCommon = <T>(xs: readonly T[]): T => {
  const counts = new Map<T, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] as T;
};

/**
 * The waterfall of each scenario and variant (and arm): for every mark the verified starts
 * reached, the median time from the mark before it, with its bootstrap 95% interval, in the
 * order of the marks' median times. Segments' medians do not add up to the total's median
 * exactly (medians are not additive); each start's own segments do add up to its total.
 */
export function waterfalls(
  runs: readonly RunRecord[],
  seed: number,
  scenarios: readonly string[] = [],
): WaterfallGroup[] {
  return groupOkStarts(runs, (r) => (r.timeline?.marks.length ?? 0) >= 2, scenarios).map((g) => {
    const bySegment = new Map<TimelineMarkName, { from: TimelineMarkName[]; ms: number[]; at: number[] }>();
    for (const r of g.runs) {
      const marks = r.timeline?.marks ?? [];
      for (const s of segmentsOf(marks)) {
        const e = bySegment.get(s.to) ?? { from: [], ms: [], at: [] };
        e.from.push(s.from);
        e.ms.push(s.ms);
        e.at.push(marks.find((m) => m.mark === s.to)?.atMs ?? 0);
        bySegment.set(s.to, e);
      }
    }
    const segments = [...bySegment].map(([to, e], i) => ({
      to,
      from: mostCommon(e.from),
      median: median(e.ms),
      ci: bootstrapMedianCi(e.ms, seed + i),
      n: e.ms.length,
      endsAtMedian: median(e.at),
    }));
    return {
      scenario: g.scenario,
      variant: g.variant,
      ...(g.arm !== undefined ? { arm: g.arm } : {}),
      starts: g.runs.length,
      segments: segments.sort((a, b) => a.endsAtMedian - b.endsAtMedian),
    };
  });
}

/** The segment whose median moved most between two groups (by absolute ms), for compare's verdicts. */
export function largestSegmentChange(
  baselineGroup: WaterfallGroup | undefined,
  candidateGroup: WaterfallGroup | undefined,
  until: TimelineMarkName = 'firstResponse',
): { to: TimelineMarkName; from: TimelineMarkName; baselineMs: number; candidateMs: number } | undefined {
  if (!baselineGroup || !candidateGroup) return undefined;
  // Only the segments up to the metric's own end mark can explain it.
  const upTo = (g: WaterfallGroup): WaterfallGroup => {
    const end = g.segments.findIndex((x) => x.to === until);
    return end < 0 ? g : { ...g, segments: g.segments.slice(0, end + 1) };
  };
  const baseline = upTo(baselineGroup);
  const candidate = upTo(candidateGroup);
  let best: { to: TimelineMarkName; from: TimelineMarkName; baselineMs: number; candidateMs: number } | undefined;
  for (const c of candidate.segments) {
    const b = baseline.segments.find((s) => s.to === c.to);
    const baselineMs = b?.median ?? 0;
    if (!best || Math.abs(c.median - baselineMs) > Math.abs(best.candidateMs - best.baselineMs))
      best = { to: c.to, from: c.from, baselineMs, candidateMs: c.median };
  }
  for (const b of baseline.segments) {
    if (candidate.segments.some((s) => s.to === b.to)) continue;
    if (!best || b.median > Math.abs(best.candidateMs - best.baselineMs))
      best = { to: b.to, from: b.from, baselineMs: b.median, candidateMs: 0 };
  }
  return best;
}
