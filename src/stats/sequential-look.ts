import type { Key, Look, LookFigures, SequentialComparison } from './sequential-types.js';
import { median } from 'simple-statistics';
import type { SequentialDesign } from '../results/types.js';
import { HIGHER_IS_BETTER, type Verdict, verdictWords } from './compare.js';
import { bootstrapMedianCi } from './describe.js';
import { normalUpperQuantile, tUpperTail } from './distributions.js';
import { holmAdjust, roundsToDecide } from './paired.js';
import { trimmedMean } from './trimmed.js';
import { intervalQuantile, type Boundaries } from './sequential-boundaries.js';

export type Band = { readonly low: number; readonly high: number };

export interface PairStats {
  readonly tm: ReturnType<typeof trimmedMean>;
  readonly z: number;
  /** The repeated two-sided interval of the log ratio at this look. */
  readonly interval: Band;
  /** The futility boundary's one-sided interval of the log ratio. */
  readonly oneSided: Band;
}

/** The paired rounds of each comparison up to a round. */
export function pairsUpTo(keys: readonly Key[], round: number): Array<{ bv: number[]; cv: number[] }> {
  return keys.map((key) => {
    const rs = [...key.baseline.keys()].filter((r) => r <= round && key.candidate.has(r)).sort((x, y) => x - y);
    return { bv: rs.map((r) => key.baseline.get(r) as number), cv: rs.map((r) => key.candidate.get(r) as number) };
  });
}

/** A comparison's trimmed mean of log ratios, its z and its repeated intervals at look k. */
export function pairStats({ bv, cv }: { bv: number[]; cv: number[] }, b: Boundaries, k: number): PairStats {
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
}

/** Holm's adjustment within each family (the gating comparisons, the others). */
export function holmByFamily(keys: readonly Key[], pRep: readonly number[]): number[] {
  const adjusted = new Array<number>(keys.length);
  for (const family of [true, false]) {
    const idx = keys.map((_, i) => i).filter((i) => keys[i]?.gating === family);
    holmAdjust(idx.map((i) => pRep[i] as number)).forEach((p, j) => {
      adjusted[idx[j] as number] = p;
    });
  }
  return adjusted;
}

/** What one look decides for a comparison not yet decided: a verdict, or none yet. */
export function lookVerdict(
  key: Key,
  s: PairStats,
  significant: boolean,
  bands: { t: number; band: Band; futility: Band },
): Verdict | undefined {
  const ratio = Math.exp(s.tm.estimate);
  const { t, band, futility } = bands;
  const [worse, better] = HIGHER_IS_BETTER.has(key.metric)
    ? [ratio < 1 - t, ratio > 1 + t]
    : [ratio > 1 + t, ratio < 1 - t];
  if (significant && worse) return 'regression';
  if (significant && better) return 'improvement';
  if (s.tm.df >= 2 && s.interval.low >= band.low && s.interval.high <= band.high) return 'unchanged';
  if (
    s.tm.df >= 2 &&
    (HIGHER_IS_BETTER.has(key.metric) ? s.oneSided.low >= futility.low : s.oneSided.high <= futility.high)
  )
    return 'not-worse';
  return undefined;
}

/** Holm's level for comparison i at this look: alpha over its family's comparisons not yet rejected. */
export function holmLevel(
  keys: readonly Key[],
  i: number,
  adjusted: readonly number[],
  pRep: readonly number[],
  alpha: number,
) {
  const key = keys[i] as Key;
  const family = keys.filter((x) => x.gating === key.gating).length;
  const rejectedBefore = keys.filter(
    (x, j) => x.gating === key.gating && (adjusted[j] as number) <= alpha && (pRep[j] as number) < (pRep[i] as number),
  ).length;
  return alpha / Math.max(1, family - rejectedBefore);
}

/** One comparison as the gate left it: its figures at the last look, its verdict (or why none), its note. */
export function sequentialComparison(
  key: Key,
  f: LookFigures,
  { bv, cv }: { bv: number[]; cv: number[] },
  v: { verdict: Verdict; round: number } | undefined,
  ctx: {
    design: SequentialDesign;
    baselineArm: string;
    last: Look | undefined;
    rounds: number;
    t: number;
    seed: number;
    resamples?: number;
  },
): SequentialComparison {
  const { design, last } = ctx;
  const atMax = last !== undefined && last.round >= design.maxRounds;
  const estimate = v === undefined && atMax && f.n > 0 ? roundsToDecide(f.n, f.ratio, f.interval, ctx.t) : undefined;
  const note =
    v !== undefined
      ? `sequential: ${verdictWords(v.verdict)} from round ${v.round}`
      : atMax
        ? `sequential: no verdict in the maximum ${design.maxRounds} rounds` +
          (estimate !== undefined ? `; about ${Math.max(estimate, f.n + 1)} rounds would decide it` : '')
        : last === undefined
          ? `sequential: ${ctx.rounds} round(s), fewer than the ${design.minRounds} of the first look`
          : `sequential: undecided after ${last.round} of at most ${design.maxRounds} rounds`;
  return {
    scenario: key.scenario,
    variant: key.variant,
    metric: key.metric,
    arm: key.arm,
    baselineArm: ctx.baselineArm,
    paired: true,
    baseline: { n: bv.length, median: bv.length > 0 ? median(bv) : Number.NaN },
    candidate: {
      n: cv.length,
      median: cv.length > 0 ? median(cv) : Number.NaN,
      medianCi: cv.length > 0 ? bootstrapMedianCi(cv, ctx.seed, ctx.resamples) : { low: Number.NaN, high: Number.NaN },
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
}
