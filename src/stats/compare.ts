import { median } from 'simple-statistics';
import type { Variant } from '../scenario/variants.js';
import type { ResultsFile, RunRecord, RunStatus } from '../results/types.js';
import { groupKeys, okValues } from './analyze.js';
import { bootstrapMedianCi, bootstrapRatioCi, type Interval } from './describe.js';
import { permutationTest } from './permutation.js';

export const DEFAULT_THRESHOLD_PCT = 5;
export const SIGNIFICANCE_ALPHA = 0.05;
export const COMPARABLE_METRICS = ['readyMs', 'firstResponseMs', 'readyAfterContainerStartMs', 'rssAfterReadyKb', 'rssAfterFirstResponseKb'] as const;
export type ComparableMetric = (typeof COMPARABLE_METRICS)[number];
export const DEFAULT_COMPARE_METRICS: readonly ComparableMetric[] = ['readyMs', 'firstResponseMs'];

/**
 * regression / improvement: a median change beyond the threshold that is also significant.
 * inconclusive: a median change beyond the threshold that the samples cannot show to be real
 * (too few runs, or too much overlap): not a pass, not a failure; add runs.
 * unchanged: the median moved less than the threshold.
 */
export type Verdict = 'regression' | 'improvement' | 'inconclusive' | 'unchanged';

/**
 * Runs per side a gate should have (and run's default). Measured on these 2-core VMs: now and
 * then the whole machine runs a start about 50% slower (container start, CRIU restore and app
 * start all slower together), so a variant's runs fall into two modes. A copy 20% slower is
 * then found only while few pairs are out of order: 3 vs 3 runs never (p = 0.10), 5 vs 5 only
 * just (p = 0.048), 8 vs 8 with 3 of 8 runs slow only just (p = 0.041; with 4 of 8 it fails).
 * 10 vs 10 stays significant (exact one-sided rank-sum, p <= 0.05) with up to 27 of 100 pairs
 * out of order, more than even a half-slow split gives (25).
 */
export const RECOMMENDED_RUNS = 10;

export interface Comparison {
  readonly scenario: string;
  readonly variant: Variant;
  readonly metric: ComparableMetric;
  readonly baseline: { readonly n: number; readonly median: number };
  /** medianCi: the candidate median's own bootstrap 95% interval (for history trackers). */
  readonly candidate: { readonly n: number; readonly median: number; readonly medianCi: Interval };
  /** candidate median / baseline median (> 1 is slower or bigger: worse for every metric here). */
  readonly ratio: number;
  readonly ratioCi: Interval;
  /** One-sided permutation p-value in the direction of the observed change. */
  readonly pValue: number;
  readonly verdict: Verdict;
  readonly note?: string;
}

/**
 * Per scenario, variant and metric: medians, the ratio with a bootstrap 95% interval, a
 * permutation p-value, and a verdict that needs both significance (p <= 0.05, one-sided
 * in the direction of the change) and a change beyond the threshold.
 */
export function compareResults(
  baseline: ResultsFile,
  candidate: ResultsFile,
  opts: { thresholdPct: number; metrics: readonly ComparableMetric[]; seed: number },
): Comparison[] {
  const out: Comparison[] = [];
  const t = opts.thresholdPct / 100;
  for (const { scenario, variant } of groupKeys([baseline, candidate])) {
    for (const metric of opts.metrics) {
      const b = okValues(baseline.runs, scenario, variant, metric);
      const c = okValues(candidate.runs, scenario, variant, metric);
      if (b.length === 0 || c.length === 0) continue;
      const [medianB, medianC] = [median(b), median(c)];
      const ratio = medianC / medianB;
      const ci = bootstrapRatioCi(c, b, opts.seed);
      const p = permutationTest(b, c, opts.seed);
      const pValue = ratio >= 1 ? p.pGreater : p.pLess;
      const beyond = ratio > 1 + t || ratio < 1 - t;
      let verdict: Verdict = beyond ? 'inconclusive' : 'unchanged';
      if (ratio > 1 + t && p.pGreater <= SIGNIFICANCE_ALPHA) verdict = 'regression';
      else if (ratio < 1 - t && p.pLess <= SIGNIFICANCE_ALPHA) verdict = 'improvement';
      let note: string | undefined;
      if (p.minAchievableP > SIGNIFICANCE_ALPHA) {
        note = `${b.length} vs ${c.length} runs can never reach p <= ${SIGNIFICANCE_ALPHA}: rerun with --runs ${RECOMMENDED_RUNS} or more`;
      } else if (verdict === 'inconclusive') {
        note =
          Math.min(b.length, c.length) < RECOMMENDED_RUNS
            ? `change beyond the threshold, not significant with ${b.length} vs ${c.length} runs, where a few slow runs hide it; rerun both with --runs ${RECOMMENDED_RUNS} or more`
            : 'change beyond the threshold, not significant: the runs overlap; add runs or reduce noise';
      }
      out.push({
        scenario,
        variant,
        metric,
        baseline: { n: b.length, median: medianB },
        candidate: { n: c.length, median: medianC, medianCi: bootstrapMedianCi(c, opts.seed) },
        ratio,
        ratioCi: ci,
        pValue,
        verdict,
        ...(note ? { note } : {}),
      });
    }
  }
  return out;
}

/** Differences that make a comparison apples to oranges. */
export function environmentDifferences(a: ResultsFile, b: ResultsFile): string[] {
  const diffs: string[] = [];
  const check = (what: string, x: unknown, y: unknown): void => {
    if (JSON.stringify(x) !== JSON.stringify(y)) diffs.push(`${what}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
  };
  check('kernel', a.environment.kernel, b.environment.kernel);
  check('CPU model', a.environment.cpuModel, b.environment.cpuModel);
  check('online CPUs', a.environment.onlineCpus, b.environment.onlineCpus);
  check('server CPUs', a.config.serverCpus, b.config.serverCpus);
  check('pinning', a.config.pin, b.config.pin);
  check('restore mode', a.config.restoreMode, b.config.restoreMode);
  for (const name of new Set([...Object.keys(a.environment.images), ...Object.keys(b.environment.images)])) {
    check(`image of ${name}`, a.environment.images[name]?.id, b.environment.images[name]?.id);
  }
  return diffs;
}

export interface StartCounts {
  readonly total: number;
  readonly notOk: Readonly<Partial<Record<Exclude<RunStatus, 'ok'>, number>>>;
}

/** A scenario and variant whose candidate has starts that are not ok (a fallback restore, a failure). */
export interface ReliabilityFinding {
  readonly scenario: string;
  readonly variant: Variant;
  readonly baseline: StartCounts;
  readonly candidate: StartCounts;
  /** regression: the candidate's share of starts that are not ok is higher than the baseline's. */
  readonly verdict: 'regression' | 'unchanged';
}

export function countStarts(runs: readonly RunRecord[], scenario: string, variant: string): StartCounts {
  const measured = runs.filter((r) => !r.warmup && r.scenario === scenario && r.variant === variant);
  const notOk: Partial<Record<Exclude<RunStatus, 'ok'>, number>> = {};
  for (const r of measured) if (r.status !== 'ok') notOk[r.status] = (notOk[r.status] ?? 0) + 1;
  return { total: measured.length, notOk };
}

export const notOkCount = (c: StartCounts): number => Object.values(c.notOk).reduce((a, b) => a + (b ?? 0), 0);

/**
 * Starts that were not ok never enter the timing comparison, so a candidate whose restores
 * fall back (or fail) could otherwise pass on its few good starts. Any higher share of such
 * starts than the baseline's is a regression outright: a fallback is not a slow InstantOn
 * start, it is InstantOn not working.
 */
export function compareReliability(baseline: ResultsFile, candidate: ResultsFile): ReliabilityFinding[] {
  return groupKeys([baseline, candidate], (r) => r.status !== 'ok').map(({ scenario, variant }) => {
    const b = countStarts(baseline.runs, scenario, variant);
    const c = countStarts(candidate.runs, scenario, variant);
    const share = (x: StartCounts): number => (x.total === 0 ? 0 : notOkCount(x) / x.total);
    return { scenario, variant, baseline: b, candidate: c, verdict: notOkCount(c) > 0 && share(c) > share(b) ? 'regression' : 'unchanged' };
  });
}

/** "2 of 10 not ok (fallback 2)" */
export function describeStarts(c: StartCounts): string {
  const n = notOkCount(c);
  if (n === 0) return `${c.total} of ${c.total} ok`;
  return `${n} of ${c.total} not ok (${Object.entries(c.notOk).map(([k, v]) => `${k} ${v}`).join(', ')})`;
}
