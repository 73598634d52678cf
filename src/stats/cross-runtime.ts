import { median } from 'simple-statistics';
import type { ResultsFile } from '../results/types.js';
import type { Variant } from '../scenario/variants.js';
import type { Interval } from './describe.js';
import { groupKeys } from './analyze.js';
import { byRound, pairRounds } from './compare-arms.js';
import { DEFAULT_COMPARE_METRICS, HIGHER_IS_BETTER, type ComparableMetric } from './compare.js';
import { pairedRatio, signedRankTest } from './paired.js';

/** One variant an arm measured against the best variant of an arm that cannot take it, paired by round. */
export interface CrossRuntimeRow {
  readonly scenario: string;
  readonly metric: ComparableMetric;
  /** The arm and variant the other cannot take (Liberty's InstantOn phase). */
  readonly arm: string;
  readonly variant: Variant;
  /** The other arm (a plain JVM) and its best variant by this metric's median (cold or aotCache). */
  readonly against: { readonly arm: string; readonly variant: Variant };
  readonly n: number;
  readonly median: number;
  readonly againstMedian: number;
  /** arm's median / against's, as the paired Hodges-Lehmann ratio; < 1: the arm's variant is faster. */
  readonly ratio: number;
  readonly ratioCi: Interval;
  /** Signed-rank p of the per-round log ratios: descriptive, outside any gate (no family correction). */
  readonly pValue: number;
}

/**
 * What one arm's runtime cannot take, measured on another, against that runtime's best: each InstantOn phase of the
 * Liberty arms against the plain JVM arm's fastest variant (cold or with the AOT cache), per metric, paired by round.
 * Not part of the gate: the answer to "which should I use", not a regression test.
 */
export function crossRuntime(
  results: ResultsFile,
  opts: { readonly metrics: readonly ComparableMetric[]; readonly seed: number; readonly resamples?: number },
): CrossRuntimeRow[] {
  const rows: CrossRuntimeRow[] = [];
  const na = results.config.notApplicable ?? {};
  const arms = (results.config.arms ?? []).map((a) => a.name);
  const keys = groupKeys(results);
  for (const [plain, skipped] of Object.entries(na)) {
    for (const arm of arms.filter((a) => a !== plain && !(na[a]?.length ?? 0))) {
      for (const scenario of [...new Set(keys.map((k) => k.scenario))]) {
        const own = keys.filter((k) => k.scenario === scenario).map((k) => k.variant);
        for (const metric of opts.metrics) {
          const best = bestVariant(
            results,
            plain,
            scenario,
            own.filter((v) => !skipped.includes(v)),
            metric,
          );
          if (!best) continue;
          for (const variant of skipped.filter((v) => own.includes(v))) {
            const {
              rounds,
              bv,
              cv: av,
            } = pairRounds(
              byRound(results.runs, plain, scenario, best, metric),
              byRound(results.runs, arm, scenario, variant, metric),
            );
            if (rounds.length === 0) continue;
            const { ratio, ci } = pairedRatio(bv, av, opts.seed, opts.resamples);
            rows.push({
              scenario,
              metric,
              arm,
              variant,
              against: { arm: plain, variant: best },
              n: rounds.length,
              median: median(av),
              againstMedian: median(bv),
              ratio,
              ratioCi: ci,
              pValue: signedRankTest(av.map((v, i) => Math.log(v / (bv[i] as number)))).pTwoSided,
            });
          }
        }
      }
    }
  }
  return rows;
}

/** The arm's variant with the best median of the metric in the scenario: lowest, or highest for throughput. */
function bestVariant(
  results: ResultsFile,
  arm: string,
  scenario: string,
  variants: readonly Variant[],
  metric: ComparableMetric,
): Variant | undefined {
  let best: { variant: Variant; median: number } | undefined;
  for (const variant of variants) {
    const values = [...byRound(results.runs, arm, scenario, variant, metric).values()];
    if (values.length === 0) continue;
    const m = median(values);
    const better = best === undefined || (HIGHER_IS_BETTER.has(metric) ? m > best.median : m < best.median);
    if (better) best = { variant, median: m };
  }
  return best?.variant;
}

/** One results file's rows in a report, under its label. */
export interface CrossRuntimeSection {
  readonly label: string;
  readonly rows: readonly CrossRuntimeRow[];
}

export const CROSS_RUNTIME_INTRO =
  "Each InstantOn phase on Liberty against the plain JVM's fastest variant (cold or with the JDK's AOT cache), the " +
  'ratio of medians paired by round (below 1: InstantOn is faster) with its 95% interval; descriptive, not part of ' +
  'any gate.';

/** The report's rows: the default gate metrics, seeded as compare's. */
export const crossRuntimeOf = (results: ResultsFile): CrossRuntimeRow[] =>
  crossRuntime(results, { metrics: DEFAULT_COMPARE_METRICS, seed: 1 });

/** The rows as a markdown table under its own heading (empty when there are none). */
export function crossRuntimeMarkdown(rows: readonly CrossRuntimeRow[]): string {
  if (rows.length === 0) return '';
  const fmt = (v: number, metric: string): string =>
    `${v >= 100 ? v.toFixed(0) : v.toFixed(2)}${metric.endsWith('Ms') ? ' ms' : ''}`;
  return [
    "InstantOn against the plain JVM's best (paired by round; descriptive, not part of the gate):",
    '',
    '| scenario | metric | arm · variant | median | against | its median | ratio (95% CI) | p |',
    '|---|---|---|---:|---|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.metric} | ${r.arm} · ${r.variant} | ${fmt(r.median, r.metric)} | ${r.against.arm} · ` +
        `${r.against.variant} | ${fmt(r.againstMedian, r.metric)} | ${r.ratio.toFixed(3)} (${r.ratioCi.low.toFixed(3)}–` +
        `${r.ratioCi.high.toFixed(3)}) | ${r.pValue.toFixed(3)} |`,
    ),
  ].join('\n');
}
