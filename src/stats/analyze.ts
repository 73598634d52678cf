import { isMeasuredOk } from '../results/keys.js';
import { BASELINE_VARIANT, isBaselineVariant } from '../scenario/variants.js';
import type { ResultsFile, RunMetrics, RunRecord } from '../results/types.js';
import { RAMP_METRICS } from '../results/start-types.js';
import { variantRank, type Variant } from '../scenario/variants.js';
import { distinctGroups, orderScenarios, type GroupKey } from '../results/keys.js';
import { bootstrapRatioCi, describe, type Description, type Interval } from './describe.js';

export const MIN_RUNS_FOR_TRUST = 5;
export const WIDE_CI_FRACTION = 0.1;
export const SLOW_FIRST_RUN_FACTOR = 1.5;

export const ANALYZED_METRICS = [
  'readyMs',
  'firstResponseMs',
  'rssAfterFirstResponseKb',
  'readyAfterContainerStartMs',
  ...RAMP_METRICS,
] as const;
export type MetricName = (typeof ANALYZED_METRICS)[number];

export type WarningCode =
  'too-few-runs' | 'wide-interval' | 'slow-first-run' | 'outliers' | 'fallbacks' | 'failures' | 'pinning' | 'suspect';

/** A typed warning with advice (house rule 7). */
export interface StatWarning {
  readonly code: WarningCode;
  readonly scenario: string;
  readonly variant: Variant;
  readonly message: string;
  readonly advice: string;
}

export interface Speedup {
  /** cold median / variant median (how many times faster). */
  readonly ratio: number;
  readonly ci: Interval;
}

export interface GroupAnalysis {
  readonly source: string;
  readonly scenario: string;
  readonly variant: Variant;
  readonly attempted: number;
  readonly ok: number;
  readonly fallback: number;
  readonly failed: number;
  readonly fallbackRate: number;
  readonly metrics: Partial<Record<MetricName, Description>>;
  readonly speedupReady?: Speedup;
  readonly speedupFirstResponse?: Speedup;
}

export interface Analysis {
  readonly groups: GroupAnalysis[];
  readonly warnings: StatWarning[];
}

function values(runs: readonly RunRecord[], metric: keyof RunMetrics): number[] {
  return runs.map((r) => r.metrics[metric]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

/**
 * The scenario and variant pairs with measured starts (the one ordering every table, chart and
 * comparison uses): scenarios in the runs' configured order, variants cold first then by phase.
 * Several files (baseline and candidate) give the pairs found in any of them.
 */
export function groupKeys(
  files: ResultsFile | readonly ResultsFile[],
  include: (r: RunRecord) => boolean = () => true,
): GroupKey[] {
  const list: readonly ResultsFile[] = Array.isArray(files) ? files : [files as ResultsFile];
  const measured = list.flatMap((f) => f.runs.filter((r) => !r.warmup && include(r)));
  const scenarioOrder = orderScenarios(
    list.flatMap((f) => f.config?.scenarios ?? []),
    measured,
  );
  return distinctGroups(measured).sort(
    (a, b) =>
      scenarioOrder.indexOf(a.scenario) - scenarioOrder.indexOf(b.scenario) ||
      variantRank(a.variant) - variantRank(b.variant),
  );
}

/** One metric over the ok, measured (not warmup) starts of a scenario and variant. */
export function okValues(
  runs: readonly RunRecord[],
  scenario: string,
  variant: Variant,
  metric: keyof RunMetrics,
): number[] {
  return values(
    runs.filter((r) => isMeasuredOk(r) && r.scenario === scenario && r.variant === variant),
    metric,
  );
}

/** Pure: every statistic the reports show, over ok non-warmup runs. */
export function analyze(results: ResultsFile, source = 'results', seed = results.config.seed): Analysis {
  const groups: GroupAnalysis[] = [];
  const warnings: StatWarning[] = [];
  const measured = results.runs.filter((r) => !r.warmup);
  const okOf = (scenario: string, variant: Variant): RunRecord[] =>
    measured.filter((r) => r.scenario === scenario && r.variant === variant && r.status === 'ok' && !r.guest);
  for (const { scenario, variant } of groupKeys(results)) {
    const all = measured.filter((r) => r.scenario === scenario && r.variant === variant);
    const ok = okOf(scenario, variant);
    const metrics: Partial<Record<MetricName, Description>> = {};
    for (const m of ANALYZED_METRICS) {
      const v = values(ok, m);
      if (v.length > 0) metrics[m] = describe(v, seed);
    }
    const fallback = all.filter((r) => r.status === 'fallback').length;
    const failed = all.filter((r) => r.status === 'failed' || r.status === 'timed-out').length;
    const cold = okOf(scenario, BASELINE_VARIANT);
    const speedup = (m: MetricName): Speedup | undefined => {
      const c = values(cold, m);
      const v = values(ok, m);
      if (isBaselineVariant(variant) || c.length === 0 || v.length === 0) return undefined;
      const med = (xs: number[]): number => describe(xs, seed).median;
      return { ratio: med(c) / med(v), ci: bootstrapRatioCi(c, v, seed) };
    };
    const sr = speedup('readyMs');
    const sf = speedup('firstResponseMs');
    groups.push({
      source,
      scenario,
      variant,
      attempted: all.length,
      ok: ok.length,
      fallback,
      failed,
      fallbackRate: all.length > 0 ? fallback / all.length : 0,
      metrics,
      ...(sr ? { speedupReady: sr } : {}),
      ...(sf ? { speedupFirstResponse: sf } : {}),
    });
    warnings.push(...warningsFor(scenario, variant, all, ok, metrics.readyMs, fallback, failed));
  }
  return { groups, warnings };
}

function warningsFor(
  scenario: string,
  variant: Variant,
  all: readonly RunRecord[],
  ok: readonly RunRecord[],
  ready: Description | undefined,
  fallback: number,
  failed: number,
): StatWarning[] {
  const w: StatWarning[] = [];
  const add = (code: WarningCode, message: string, advice: string): void => {
    w.push({ code, scenario, variant, message, advice });
  };
  if (ok.length < MIN_RUNS_FOR_TRUST) {
    add(
      'too-few-runs',
      `only ${ok.length} ok run(s)`,
      `use --runs ${MIN_RUNS_FOR_TRUST} or more (or --target-ci) before drawing conclusions`,
    );
  }
  if (ready && ready.n >= 2) {
    const halfWidth = (ready.medianCi.high - ready.medianCi.low) / 2;
    if (halfWidth > WIDE_CI_FRACTION * ready.median) {
      add(
        'wide-interval',
        `95% interval of the median ready time is ±${((100 * halfWidth) / ready.median).toFixed(0)}% of it`,
        'add runs (--target-ci 5 --max-runs 30) or quieten the machine',
      );
    }
  }
  const ordered = [...ok].sort((a, b) => a.iteration - b.iteration);
  const first = ordered[0]?.metrics.readyMs;
  const rest = ordered
    .slice(1)
    .map((r) => r.metrics.readyMs)
    .filter((v): v is number => v !== undefined);
  if (first !== undefined && rest.length >= 2 && first > SLOW_FIRST_RUN_FACTOR * Math.max(...rest)) {
    add(
      'slow-first-run',
      `the first run (${first.toFixed(0)} ms) is over ${SLOW_FIRST_RUN_FACTOR}x slower than every other`,
      'add --warmup 1 or more: caches were cold',
    );
  }
  if (ready && ready.outliers.length > 0) {
    add(
      'outliers',
      `${ready.outliers.length} outlier(s) in ready time (modified z-score > 3.5)`,
      'check the machine for other load during those runs; consider more runs',
    );
  }
  if (fallback > 0) {
    add(
      'fallbacks',
      `${fallback} of ${all.length} start(s) did not restore from the checkpoint and were excluded`,
      'run instanton-bench diagnose on the results file, or look at runs[].restore.evidence',
    );
  }
  if (failed > 0) add('failures', `${failed} start(s) failed or timed out`, 'see runs[].error and runs[].outputTail');
  const unpinned = all.filter((r) => r.cpus.matches === false).length;
  if (unpinned > 0)
    add(
      'pinning',
      `${unpinned} start(s) ran on CPUs other than requested`,
      'check --pin and --server-cpus; with a daemon engine use --pin cpuset',
    );
  return w;
}
