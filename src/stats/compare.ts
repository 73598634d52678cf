import { hostSpeedWarning } from '../hostspeed/index.js';
import { median } from 'simple-statistics';
import type { Variant } from '../scenario/variants.js';
import type { ResultsFile, RunRecord, RunStatus } from '../results/types.js';
import { groupKeys, okValues } from './analyze.js';
import { bootstrapMedianCi, bootstrapRatioCi, type Interval } from './describe.js';
import { permutationTest } from './permutation.js';
import { RAMP_METRICS } from '../results/start-types.js';
import { holmAdjust, roundsToDecide } from './paired.js';

export const DEFAULT_THRESHOLD_PCT = 5;
export const SIGNIFICANCE_ALPHA = 0.05;
export const COMPARABLE_METRICS = [
  'readyMs',
  'firstResponseMs',
  'readyAfterContainerStartMs',
  'rssAfterReadyKb',
  'rssAfterFirstResponseKb',
  ...RAMP_METRICS,
] as const;
/** Metrics where more is better (throughput): a regression is a drop. */
export const HIGHER_IS_BETTER: ReadonlySet<string> = new Set([
  'rampPeakRps',
  'rampRequests10s',
  'rampRequests30s',
  'rampRequests60s',
]);
export type ComparableMetric = (typeof COMPARABLE_METRICS)[number];
export const DEFAULT_COMPARE_METRICS: readonly ComparableMetric[] = ['readyMs', 'firstResponseMs'];

/**
 * regression / improvement: a change beyond the threshold that stays significant after Holm's
 * family-wise correction across every comparison that can fail the gate.
 * unchanged: the ratio's whole 95% interval lies inside the threshold band (the data show the
 * change, if any, is smaller than the threshold).
 * inconclusive: anything else (a change that is not significant, or an interval that reaches
 * beyond the band): not a pass, not a failure; more rounds decide it.
 */
export type Verdict = 'regression' | 'improvement' | 'inconclusive' | 'unchanged' | 'not-worse';

/** A verdict as a reader writes it ("not worse" for `not-worse`). */
export const verdictWords = (v: Verdict): string => v.replace('-', ' ');

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

/**
 * Rounds an A/B run measures by default. Paired by round, a 10% slowdown of an InstantOn
 * variant's ready time must be flagged in at least 90% of gates (Holm across every variant and
 * metric): on this machine's noise that takes this many rounds (README, "A/B arms": measured
 * with test/bench/gate-error-rates.ts, and checked on simulated noise in the unit tests).
 */
export const RECOMMENDED_ARM_ROUNDS = 25;

export interface Comparison {
  readonly scenario: string;
  readonly variant: Variant;
  readonly metric: ComparableMetric;
  /** The candidate arm (A/B runs); absent for two files. */
  readonly arm?: string;
  readonly baselineArm?: string;
  /** Paired by round (arms of one run) or not (two files). */
  readonly paired: boolean;
  readonly baseline: { readonly n: number; readonly median: number };
  /** medianCi: the candidate median's own bootstrap 95% interval (for history trackers). */
  readonly candidate: { readonly n: number; readonly median: number; readonly medianCi: Interval };
  /** candidate median / baseline median (> 1 is slower or bigger: worse for every metric here). */
  readonly ratio: number;
  /** Bootstrap 95% interval of the ratio (paired: rounds resampled whole). */
  readonly ratioCi: Interval;
  /** Two-sided p-value: paired, Wilcoxon signed-rank on the per-round log ratios; unpaired, rank-sum permutation. */
  readonly pValue: number;
  /** pValue after Holm's correction across the gate's family of comparisons. */
  readonly pAdjusted: number;
  /** Whether this comparison can fail the gate (all metrics, or only --primary). */
  readonly gating: boolean;
  readonly verdict: Verdict;
  /** For an inconclusive verdict: rounds (runs per side) the observed spread says would decide it. */
  readonly roundsToDecide?: number;
  readonly note?: string;
}

/** One comparison before the family-wise decision. */
export type RawComparison = Omit<Comparison, 'pAdjusted' | 'verdict' | 'gating' | 'roundsToDecide' | 'note'> & {
  readonly minAchievableP: number;
};

export interface CompareOptions {
  readonly thresholdPct: number;
  readonly metrics: readonly ComparableMetric[];
  readonly seed: number;
  /** Only this metric's comparisons can fail the gate (Holm across them alone). */
  readonly primary?: ComparableMetric;
  /** Bootstrap resamples of the intervals (default BOOTSTRAP_RESAMPLES; simulations use fewer). */
  readonly resamples?: number;
}

/** Two results files (unpaired): every scenario, variant and metric measured in both. */
export function compareResults(baseline: ResultsFile, candidate: ResultsFile, opts: CompareOptions): Comparison[] {
  const raw: RawComparison[] = [];
  for (const { scenario, variant } of groupKeys([baseline, candidate])) {
    for (const metric of opts.metrics) {
      const b = okValues(baseline.runs, scenario, variant, metric);
      const c = okValues(candidate.runs, scenario, variant, metric);
      if (b.length === 0 || c.length === 0) continue;
      const [medianB, medianC] = [median(b), median(c)];
      const p = permutationTest(b, c, opts.seed);
      raw.push({
        scenario,
        variant,
        metric,
        paired: false,
        baseline: { n: b.length, median: medianB },
        candidate: { n: c.length, median: medianC, medianCi: bootstrapMedianCi(c, opts.seed) },
        ratio: medianC / medianB,
        ratioCi: bootstrapRatioCi(c, b, opts.seed),
        pValue: Math.min(1, 2 * Math.min(p.pGreater, p.pLess)),
        minAchievableP: Math.min(1, 2 * p.minAchievableP),
      });
    }
  }
  return decide(raw, opts);
}

/**
 * The verdicts of a gate: Holm's adjustment across the comparisons that can fail it (every
 * one, or the --primary metric's), then regression / improvement / unchanged / inconclusive.
 */
export function decide(
  raw: readonly RawComparison[],
  opts: Pick<CompareOptions, 'thresholdPct' | 'primary'>,
): Comparison[] {
  const t = opts.thresholdPct / 100;
  const gating = raw.map((r) => opts.primary === undefined || r.metric === opts.primary);
  const adjusted = new Array<number>(raw.length);
  for (const family of [true, false]) {
    const idx = raw.map((_, i) => i).filter((i) => gating[i] === family);
    holmAdjust(idx.map((i) => (raw[i] as RawComparison).pValue)).forEach((p, k) => {
      adjusted[idx[k] as number] = p;
    });
  }
  return raw.map((r, i) => {
    const pAdjusted = adjusted[i] as number;
    const { minAchievableP, ...rest } = r;
    // Too few runs to ever show a change cannot show its absence either: never "unchanged".
    const tooFew = minAchievableP > SIGNIFICANCE_ALPHA;
    let verdict: Verdict = 'inconclusive';
    const [worse, better] = HIGHER_IS_BETTER.has(r.metric)
      ? [r.ratio < 1 - t, r.ratio > 1 + t]
      : [r.ratio > 1 + t, r.ratio < 1 - t];
    if (worse && pAdjusted <= SIGNIFICANCE_ALPHA) verdict = 'regression';
    else if (better && pAdjusted <= SIGNIFICANCE_ALPHA) verdict = 'improvement';
    else if (!tooFew && r.ratioCi.low >= 1 - t && r.ratioCi.high <= 1 + t) verdict = 'unchanged';
    const n = Math.min(r.baseline.n, r.candidate.n);
    const estimate = verdict === 'inconclusive' ? roundsToDecide(n, r.ratio, r.ratioCi, t) : undefined;
    const rounds = estimate === undefined ? undefined : Math.max(estimate, n + 1, tooFew ? RECOMMENDED_RUNS : 0);
    let note: string | undefined;
    if (tooFew)
      note =
        `${r.baseline.n} vs ${r.candidate.n} ${r.paired ? 'rounds' : 'runs'} can never reach p <= ` +
        `${SIGNIFICANCE_ALPHA}: rerun with --runs ${RECOMMENDED_RUNS} or more`;
    else if (verdict === 'inconclusive') {
      const why =
        Math.abs(r.ratio - 1) > t
          ? 'a change beyond the threshold that is not significant after the correction'
          : `the 95% interval ${r.ratioCi.low.toFixed(3)}-${r.ratioCi.high.toFixed(3)} reaches beyond ` +
            `±${opts.thresholdPct}%`;
      note =
        `${why}` +
        `${rounds !== undefined ? `; about ${rounds} ${r.paired ? 'rounds' : 'runs per side'} would decide it` : ''}`;
    }
    return {
      ...rest,
      pAdjusted,
      gating: gating[i] as boolean,
      verdict,
      ...(rounds !== undefined ? { roundsToDecide: rounds } : {}),
      ...(note ? { note } : {}),
    };
  });
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
  const speed = hostSpeedWarning(
    { label: 'baseline', speed: a.environment.hostSpeed },
    { label: 'candidate', speed: b.environment.hostSpeed },
  );
  if (speed) diffs.push(speed);
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

export function countStarts(runs: readonly RunRecord[], scenario: string, variant: Variant): StartCounts {
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
    return {
      scenario,
      variant,
      baseline: b,
      candidate: c,
      verdict: notOkCount(c) > 0 && share(c) > share(b) ? 'regression' : 'unchanged',
    };
  });
}

/** "2 of 10 not ok (fallback 2)" */
export function describeStarts(c: StartCounts): string {
  const n = notOkCount(c);
  if (n === 0) return `${c.total} of ${c.total} ok`;
  return `${n} of ${c.total} not ok (${Object.entries(c.notOk)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')})`;
}
