import type { ResultsFile, SequentialDesign } from '../results/types.js';
import { groupKeys } from './analyze.js';
import { byRound } from './compare-arms.js';
import { type ComparableMetric, type Verdict } from './compare.js';
import type { Key, Look, LookFigures, SequentialOutcome } from './sequential-types.js';
import { boundariesOf, boundaryAtLevel, levelCrossed } from './sequential-boundaries.js';
import { pairsUpTo, pairStats, holmByFamily, lookVerdict, holmLevel, sequentialComparison } from './sequential-look.js';

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

/** Rounds 1..r all recorded whole (every arm, scenario and variant has its start, ok or not). */
export function completeRounds(results: ResultsFile): number {
  const per = (results.config.arms?.length ?? 1) * results.config.scenarios.length * results.config.variants.length;
  const counts = new Map<number, number>();
  for (const r of results.runs) if (!r.warmup) counts.set(r.iteration, (counts.get(r.iteration) ?? 0) + 1);
  let r = 0;
  while ((counts.get(r + 1) ?? 0) >= per) r += 1;
  return r;
}

/** The comparisons a sequential gate makes: every candidate arm x scenario x variant x metric, with its rounds. */
function sequentialKeys(results: ResultsFile, design: SequentialDesign, baselineArm: string): Key[] {
  const keys: Key[] = [];
  const arms = (results.config.arms ?? []).map((a) => a.name);
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
  return keys;
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
  const baselineArm = opts.baselineArm ?? ((results.config.arms ?? [])[0]?.name as string);
  const keys = sequentialKeys(results, design, baselineArm);
  const rounds = Math.min(completeRounds(results), design.maxRounds);
  const b = boundariesOf(design);
  const t = design.thresholdPct / 100;
  const tf = (design.futility?.marginPct ?? design.thresholdPct) / 100;
  const bands = {
    t,
    band: { low: Math.log(1 - t), high: Math.log(1 + t) },
    futility: { low: Math.log(1 - tf), high: Math.log(1 + tf) },
  };
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
    pairs = pairsUpTo(keys, round);
    const stats = pairs.map((pair) => pairStats(pair, b, k));
    if (isLook)
      stats.forEach((st, i) => {
        pRep[i] = Math.min(pRep[i] as number, levelCrossed(b, k, st.z));
      });
    const adjusted = holmByFamily(keys, pRep);
    figures = stats.map((st, i) => {
      if (isLook && verdicts[i] === undefined) {
        const verdict = lookVerdict(keys[i] as Key, st, (adjusted[i] as number) <= design.alpha, bands);
        if (verdict !== undefined) verdicts[i] = { verdict, round };
      }
      return {
        n: st.tm.n,
        ratio: Math.exp(st.tm.estimate),
        interval: { low: Math.exp(st.interval.low), high: Math.exp(st.interval.high) },
        z: st.z,
        boundary: boundaryAtLevel(b, k, holmLevel(keys, i, adjusted, pRep, design.alpha)),
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
  const comparisons = figures.map((f, i) =>
    sequentialComparison(keys[i] as Key, f, pairs[i] as { bv: number[]; cv: number[] }, verdicts[i], {
      design,
      baselineArm,
      last,
      rounds,
      t,
      seed: opts.seed ?? results.config.seed,
      ...(opts.resamples !== undefined ? { resamples: opts.resamples } : {}),
    }),
  );
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
