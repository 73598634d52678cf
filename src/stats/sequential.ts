import { median } from 'simple-statistics';
import type { ResultsFile, SequentialDesign } from '../results/types.js';
import type { Variant } from '../scenario/variants.js';
import { groupKeys } from './analyze.js';
import { byRound } from './compare-arms.js';
import { HIGHER_IS_BETTER, type ComparableMetric, type Comparison, type Verdict, verdictWords } from './compare.js';
import { bootstrapMedianCi } from './describe.js';
import { normalUpperQuantile, tUpperTail } from './distributions.js';
import { holmAdjust, roundsToDecide } from './paired.js';
import { trimmedMean } from './trimmed.js';
import { boundariesOf, levelCrossed, intervalQuantile, boundaryAtLevel } from './sequential-boundaries.js';
export { describeLook } from './sequential-text.js';
export {
  DEFAULT_MIN_ROUNDS,
  MIN_SEQUENTIAL_ROUNDS,
  DEFAULT_MAX_ROUNDS,
  DEFAULT_SPENDING,
  DEFAULT_EQUIVALENCE_ALPHA,
  DEFAULT_FUTILITY_ALPHA,
  DEFAULT_FUTILITY_SPENDING,
  notWorseMarginFor,
  sequentialDesign,
} from './sequential-design.js';

/**
 * The sequential A/B gate: after every round from `minRounds` to `maxRounds` the gated
 * comparisons are looked at, and the run stops once each has a verdict.
 *
 * - Each comparison: the per-round log ratios (candidate / baseline, paired by round), their
 *   20%-trimmed mean and Yuen's t (robust to the whole starts now and then 50% slower).
 * - Regression / improvement: a group-sequential test per comparison, its boundaries spending
 *   the error by information (Lan & DeMets) over the looks; its repeated p-value (the smallest
 *   level whose boundary the statistic has crossed at some look) is a valid p-value whatever
 *   the stopping, so Holm's step-down across every comparison that can fail the gate holds the
 *   family-wise error at alpha, as for the fixed gate. A verdict also needs the change beyond
 *   the threshold.
 * - Unchanged: the repeated confidence interval (Jennison & Turnbull 1989: the interval at the
 *   look's boundary for level alpha) lies inside the threshold band. Repeated intervals cover
 *   at every look at once, so stopping when one falls inside the band keeps its meaning.
 * - Not worse (designs with `futility`): a non-binding futility boundary. The repeated one-sided
 *   bound at level futility.alpha (spent like the test's, over the same looks: the two-sided
 *   boundary at twice the level) lies below +marginPct (above -marginPct for higher-is-better
 *   metrics): a regression of the margin or more is ruled out, whatever the stopping. It never
 *   moves the regression boundaries (non-binding), so the gate's false-alarm rate stays at alpha;
 *   the margin (default twice the threshold: the change the gate must find at 90% power) is what
 *   keeps its power. Checked after regression, improvement and unchanged.
 * - Verdicts, once reached, stand (the test is decided for that comparison); the others go on.
 * - At maxRounds what is left is inconclusive, with the rounds a fixed design would need.
 */

export type { SequentialDesign };

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

interface Key {
  readonly scenario: string;
  readonly variant: Variant;
  readonly metric: ComparableMetric;
  readonly arm: string;
  readonly gating: boolean;
  readonly baseline: Map<number, number>;
  readonly candidate: Map<number, number>;
}

/** Rounds 1..r all recorded whole (every arm, scenario and variant has its start, ok or not). */
export function completeRounds(results: ResultsFile): number {
  const per = (results.config.arms?.length ?? 1) * results.config.scenarios.length * results.config.variants.length;
  const counts = new Map<number, number>();
  for (const r of results.runs) if (!r.warmup) counts.set(r.iteration, (counts.get(r.iteration) ?? 0) + 1);
  let r = 0;
  while ((counts.get(r + 1) ?? 0) >= per) r += 1;
  return r;
}

/**
 * The sequential gate replayed over a results file: one look per complete round from the
 * design's minimum (at most its maximum). Deterministic: the same file and design give the
 * same looks and verdicts, so `compare` reproduces what the run decided.
 */
export function analyzeSequential(
  results: ResultsFile,
  design: SequentialDesign,
  opts: { readonly baselineArm?: string; readonly seed?: number; readonly resamples?: number } = {},
): SequentialOutcome {
  const arms = (results.config.arms ?? []).map((a) => a.name);
  const baselineArm = opts.baselineArm ?? (arms[0] as string);
  const keys: Key[] = [];
  for (const arm of arms.filter((a) => a !== baselineArm))
    for (const { scenario, variant } of groupKeys(results))
      for (const metric of design.metrics as readonly ComparableMetric[])
        keys.push({
          scenario,
          variant,
          metric,
          arm,
          gating: design.primary === undefined || metric === design.primary,
          baseline: byRound(results.runs, baselineArm, scenario, variant, metric),
          candidate: byRound(results.runs, arm, scenario, variant, metric),
        });
  const rounds = Math.min(completeRounds(results), design.maxRounds);
  const b = boundariesOf(design);
  const t = design.thresholdPct / 100;
  const band = { low: Math.log(1 - t), high: Math.log(1 + t) };
  const tf = (design.futility?.marginPct ?? design.thresholdPct) / 100;
  const futilityBand = { low: Math.log(1 - tf), high: Math.log(1 + tf) };
  const pRep = keys.map(() => 1);
  const verdicts: Array<{ verdict: Verdict; round: number } | undefined> = keys.map(() => undefined);
  let figures: LookFigures[] = [];
  let pairs: Array<{ bv: number[]; cv: number[] }> = [];
  const looks: Look[] = [];
  // Before the minimum (an interrupted run): the figures so far, shown with the first look's
  // boundary, but no look and no verdict.
  const first = rounds > 0 && rounds < design.minRounds ? rounds : design.minRounds;
  for (let round = first; round <= rounds; round += 1) {
    const isLook = round >= design.minRounds;
    const k = Math.max(0, round - design.minRounds);
    pairs = keys.map((key) => {
      const rs = [...key.baseline.keys()].filter((r) => r <= round && key.candidate.has(r)).sort((x, y) => x - y);
      return { bv: rs.map((r) => key.baseline.get(r) as number), cv: rs.map((r) => key.candidate.get(r) as number) };
    });
    const stats = pairs.map(({ bv, cv }) => {
      const tm = trimmedMean(bv.map((v, i) => Math.log((cv[i] as number) / v)));
      const wide = { low: -Infinity, high: Infinity };
      if (!(tm.df >= 1) || !Number.isFinite(tm.se)) return { tm, z: 0, interval: wide, oneSided: wide };
      const tStat = tm.se > 0 ? tm.estimate / tm.se : tm.estimate === 0 ? 0 : Math.sign(tm.estimate) * Infinity;
      const z = normalUpperQuantile(Math.max(1e-300, tUpperTail(Math.abs(tStat), tm.df)));
      const q = intervalQuantile(b.atAlpha[k] as number, tm.df);
      const qf = b.futility ? intervalQuantile(b.futility[k] as number, tm.df) : Infinity;
      return {
        tm,
        z,
        interval: { low: tm.estimate - q * tm.se, high: tm.estimate + q * tm.se },
        oneSided: { low: tm.estimate - qf * tm.se, high: tm.estimate + qf * tm.se },
      };
    });
    if (isLook)
      stats.forEach((s, i) => {
        pRep[i] = Math.min(pRep[i] as number, levelCrossed(b, k, s.z));
      });
    const adjusted = new Array<number>(keys.length);
    for (const family of [true, false]) {
      const idx = keys.map((_, i) => i).filter((i) => keys[i]?.gating === family);
      holmAdjust(idx.map((i) => pRep[i] as number)).forEach((p, j) => {
        adjusted[idx[j] as number] = p;
      });
    }
    figures = stats.map((s, i) => {
      const key = keys[i] as Key;
      const ratio = Math.exp(s.tm.estimate);
      const interval = { low: Math.exp(s.interval.low), high: Math.exp(s.interval.high) };
      // Holm's level for this comparison: alpha over the family's comparisons not yet rejected.
      const family = keys.filter((x) => x.gating === key.gating).length;
      const rejectedBefore = keys.filter(
        (x, j) =>
          x.gating === key.gating &&
          (adjusted[j] as number) <= design.alpha &&
          (pRep[j] as number) < (pRep[i] as number),
      ).length;
      const level = design.alpha / Math.max(1, family - rejectedBefore);
      const boundary = boundaryAtLevel(b, k, level);
      if (isLook && verdicts[i] === undefined) {
        const significant = (adjusted[i] as number) <= design.alpha;
        const [worse, better] = HIGHER_IS_BETTER.has(key.metric)
          ? [ratio < 1 - t, ratio > 1 + t]
          : [ratio > 1 + t, ratio < 1 - t];
        if (significant && worse) verdicts[i] = { verdict: 'regression', round };
        else if (significant && better) verdicts[i] = { verdict: 'improvement', round };
        else if (s.tm.df >= 2 && s.interval.low >= band.low && s.interval.high <= band.high)
          verdicts[i] = { verdict: 'unchanged', round };
        else if (
          s.tm.df >= 2 &&
          (HIGHER_IS_BETTER.has(key.metric) ? s.oneSided.low >= futilityBand.low : s.oneSided.high <= futilityBand.high)
        )
          verdicts[i] = { verdict: 'not-worse', round };
      }
      return {
        n: s.tm.n,
        ratio,
        interval,
        z: s.z,
        boundary,
        pRepeated: pRep[i] as number,
        pAdjusted: adjusted[i] as number,
      };
    });
    const gated = keys.filter((x) => x.gating).length;
    const decided = keys.filter((x, i) => x.gating && verdicts[i] !== undefined).length;
    if (!isLook) break;
    looks.push({ round, decided, gated });
    const failed = keys.some((x, i) => x.gating && verdicts[i]?.verdict === 'regression');
    if (gated > 0 && (decided === gated || failed)) break;
  }
  const last = looks[looks.length - 1];
  const comparisons: SequentialComparison[] = figures.map((f, i) => {
    const key = keys[i] as Key;
    const { bv, cv } = pairs[i] as { bv: number[]; cv: number[] };
    const v = verdicts[i];
    const atMax = last !== undefined && last.round >= design.maxRounds;
    const estimate = v === undefined && atMax && f.n > 0 ? roundsToDecide(f.n, f.ratio, f.interval, t) : undefined;
    const note =
      v !== undefined
        ? `sequential: ${verdictWords(v.verdict)} from round ${v.round}`
        : atMax
          ? `sequential: no verdict in the maximum ${design.maxRounds} rounds` +
            (estimate !== undefined ? `; about ${Math.max(estimate, f.n + 1)} rounds would decide it` : '')
          : last === undefined
            ? `sequential: ${rounds} round(s), fewer than the ${design.minRounds} of the first look`
            : `sequential: undecided after ${last.round} of at most ${design.maxRounds} rounds`;
    return {
      scenario: key.scenario,
      variant: key.variant,
      metric: key.metric,
      arm: key.arm,
      baselineArm,
      paired: true,
      baseline: { n: bv.length, median: bv.length > 0 ? median(bv) : Number.NaN },
      candidate: {
        n: cv.length,
        median: cv.length > 0 ? median(cv) : Number.NaN,
        medianCi:
          cv.length > 0
            ? bootstrapMedianCi(cv, opts.seed ?? results.config.seed, opts.resamples)
            : { low: Number.NaN, high: Number.NaN },
      },
      ratio: f.ratio,
      ratioCi: f.interval,
      pValue: f.pRepeated,
      pAdjusted: f.pAdjusted,
      gating: key.gating,
      verdict: v?.verdict ?? 'inconclusive',
      ...(estimate !== undefined ? { roundsToDecide: Math.max(estimate, f.n + 1) } : {}),
      note,
      ...(v !== undefined ? { decidedAtRound: v.round } : {}),
      look: f,
    };
  });
  const gated = comparisons.filter((c) => c.gating);
  return {
    design,
    baselineArm,
    looks,
    comparisons,
    decided:
      gated.length > 0 &&
      (gated.some((c) => c.verdict === 'regression') || gated.every((c) => c.verdict !== 'inconclusive')),
    rounds,
  };
}
