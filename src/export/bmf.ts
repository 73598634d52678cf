import type { Comparison } from '../stats/compare.js';
import { fmt, unitOf } from './units.js';

/**
 * Bencher Metric Format (https://bencher.dev/docs/reference/bencher-metric-format):
 * { benchmark: { measure: { value, lower_value, upper_value } } } for the candidate, its median
 * with that median's own bootstrap 95% interval; measures named by slug are created on first use.
 */
export function toBencherJson(
  rows: readonly Comparison[],
): Record<string, Record<string, { value: number; lower_value: number; upper_value: number }>> {
  const out: Record<string, Record<string, { value: number; lower_value: number; upper_value: number }>> = {};
  for (const r of rows) {
    const name = `${r.scenario}/${r.variant}${r.arm !== undefined ? `/${r.arm}` : ''}`;
    out[name] ??= {};
    (out[name] as Record<string, { value: number; lower_value: number; upper_value: number }>)[r.metric] = {
      value: r.candidate.median,
      lower_value: r.candidate.medianCi.low,
      upper_value: r.candidate.medianCi.high,
    };
  }
  return out;
}

/** github-action-benchmark's customSmallerIsBetter format. */
export function toGithubBenchmarkJson(
  rows: readonly Comparison[],
): Array<{ name: string; unit: string; value: number; extra: string }> {
  return rows.map((r) => ({
    name: `${r.scenario} ${r.variant}${r.arm !== undefined ? ` ${r.arm}` : ''} ${r.metric}`,
    unit: unitOf(r.metric),
    value: r.candidate.median,
    extra:
      `n=${r.candidate.n}; baseline ${fmt(r.baseline.median)}; ratio ${r.ratio.toFixed(3)} (95% CI ` +
      `${r.ratioCi.low.toFixed(3)}-${r.ratioCi.high.toFixed(3)}${r.paired ? ', paired' : ''}); p ` +
      `${r.pValue.toFixed(4)}, Holm ${r.pAdjusted.toFixed(4)}; verdict ${r.verdict}`,
  }));
}
