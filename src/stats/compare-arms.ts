import type { Variant } from '../scenario/variants.js';
import { isMeasuredOk } from '../results/keys.js';
import { median } from 'simple-statistics';
import type { ResultsFile, RunMetrics, RunRecord } from '../results/types.js';
import { splitByArm } from '../results/split-arms.js';
import { groupKeys } from './analyze.js';
import {
  compareReliability,
  decide,
  type CompareOptions,
  type Comparison,
  type RawComparison,
  type ReliabilityFinding,
} from './compare.js';
import { bootstrapMedianCi } from './describe.js';
import { pairedRatio, signedRankTest } from './paired.js';

/** One metric of the ok, measured starts of an arm in a scenario and variant, by round. */
export function byRound(
  runs: readonly RunRecord[],
  arm: string,
  scenario: string,
  variant: Variant,
  metric: keyof RunMetrics,
): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of runs) {
    const v = r.metrics[metric];
    if (
      r.arm === arm &&
      isMeasuredOk(r) &&
      r.scenario === scenario &&
      r.variant === variant &&
      typeof v === 'number' &&
      v > 0
    )
      out.set(r.iteration, v);
  }
  return out;
}

/** Two series by round, kept to the rounds both have, in round order: the baseline's values and the candidate's. */
export function pairRounds(
  baseline: ReadonlyMap<number, number>,
  candidate: ReadonlyMap<number, number>,
): { rounds: number[]; bv: number[]; cv: number[] } {
  const rounds = [...baseline.keys()].filter((k) => candidate.has(k)).sort((x, y) => x - y);
  return {
    rounds,
    bv: rounds.map((k) => baseline.get(k) as number),
    cv: rounds.map((k) => candidate.get(k) as number),
  };
}

/**
 * The arms of one interleaved run, each against the baseline arm, paired by round: Wilcoxon's
 * signed-rank test on the per-round log ratios and a ratio interval that resamples whole
 * rounds. Rounds where either start was not ok drop out of the pairing (and count in the
 * reliability findings). Verdicts as for two files (Holm across the gate's family).
 */
export function compareArms(
  results: ResultsFile,
  opts: CompareOptions & { readonly baselineArm?: string },
): Comparison[] {
  const arms = (results.config.arms ?? []).map((a) => a.name);
  const baselineArm = opts.baselineArm ?? arms[0];
  if (baselineArm === undefined) return [];
  const raw: RawComparison[] = [];
  // Merged shards: the host of each round (a round never spans hosts).
  const hostOfRound = new Map<number, string>();
  for (const r of results.runs) if (!r.warmup && r.host !== undefined) hostOfRound.set(r.iteration, r.host);
  if (new Set(hostOfRound.values()).size < 2) hostOfRound.clear();
  for (const arm of arms.filter((a) => a !== baselineArm)) {
    for (const { scenario, variant } of groupKeys(results)) {
      for (const metric of opts.metrics) {
        const { rounds, bv, cv } = pairRounds(
          byRound(results.runs, baselineArm, scenario, variant, metric),
          byRound(results.runs, arm, scenario, variant, metric),
        );
        if (rounds.length === 0) continue;
        const test = signedRankTest(rounds.map((_, i) => Math.log((cv[i] as number) / (bv[i] as number))));
        const { ratio, ci } = pairedRatio(
          bv,
          cv,
          opts.seed,
          opts.resamples,
          hostOfRound.size > 1 ? rounds.map((k) => hostOfRound.get(k) ?? '') : undefined,
        );
        raw.push({
          scenario,
          variant,
          metric,
          arm,
          baselineArm,
          paired: true,
          baseline: { n: bv.length, median: median(bv) },
          candidate: { n: cv.length, median: median(cv), medianCi: bootstrapMedianCi(cv, opts.seed, opts.resamples) },
          ratio,
          ratioCi: ci,
          pValue: test.pTwoSided,
          minAchievableP: test.minAchievableP,
        });
      }
    }
  }
  return decide(raw, opts);
}

/** Starts that were not ok, each arm against the baseline arm. */
export function compareArmsReliability(
  results: ResultsFile,
  baselineArm?: string,
): Array<ReliabilityFinding & { readonly arm: string }> {
  const parts = splitByArm(results);
  const base = parts.find((p) => p.arm === (baselineArm ?? parts[0]?.arm));
  if (!base) return [];
  return parts
    .filter((p) => p !== base)
    .flatMap((p) => compareReliability(base.results, p.results).map((f) => ({ ...f, arm: p.arm as string })));
}
