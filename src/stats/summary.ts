import { max, mean, median, min } from 'simple-statistics';
import type { RunRecord } from '../report/results-types.js';
import { sortGroupKeys } from '../scenario/variants.js';

export interface VariantSummary {
  readonly scenario: string;
  readonly variant: string;
  /** ok, non-warmup runs that the statistics use. */
  readonly n: number;
  /** non-warmup runs of any status. */
  readonly attempted: number;
  readonly failed: number;
  readonly fallback: number;
  readonly readyMs?: Stat;
  readonly firstResponseMs?: Stat;
  readonly rssAfterFirstResponseKb?: Stat;
}

export interface Stat {
  readonly median: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

function statOf(values: readonly number[]): Stat | undefined {
  if (values.length === 0) return undefined;
  const v = [...values].sort((a, b) => a - b);
  return { median: median(v), mean: mean(v), min: min(v), max: max(v) };
}

/** Per scenario and variant, over ok non-warmup runs; fallbacks and failures only counted. */
export function summarize(runs: readonly RunRecord[]): VariantSummary[] {
  const groups = new Map<string, RunRecord[]>();
  for (const r of runs) {
    if (r.warmup) continue;
    const key = `${r.scenario}\u0000${r.variant}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const scenarioOrder = [...new Set(runs.map((r) => r.scenario))];
  return sortGroupKeys(groups.keys(), scenarioOrder).map((key) => {
    const group = groups.get(key) ?? [];
    const [scenario = '', variant = ''] = key.split('\u0000');
    const ok = group.filter((r) => r.status === 'ok');
    const pick = (f: (r: RunRecord) => number | undefined): number[] =>
      ok.map(f).filter((x): x is number => typeof x === 'number');
    const ready = statOf(pick((r) => r.metrics.readyMs));
    const first = statOf(pick((r) => r.metrics.firstResponseMs));
    const rss = statOf(pick((r) => r.metrics.rssAfterFirstResponseKb));
    return {
      scenario,
      variant,
      n: ok.length,
      attempted: group.length,
      failed: group.filter((r) => r.status === 'failed' || r.status === 'timed-out').length,
      fallback: group.filter((r) => r.status === 'fallback').length,
      ...(ready ? { readyMs: ready } : {}),
      ...(first ? { firstResponseMs: first } : {}),
      ...(rss ? { rssAfterFirstResponseKb: rss } : {}),
    };
  });
}

/**
 * InstantOn runs slower than half the cold median of their scenario are suspect: a
 * restore that works is far faster than that, so something else happened.
 */
/** A start loses at least this much CPU to the hypervisor, and this share of its span, to be named. */
export const HOST_STEAL_MIN_MS = 50;
export const HOST_STEAL_SHARE = 0.05;

export function findSuspects(runs: readonly RunRecord[]): string[] {
  const out: string[] = [];
  const scenarios = new Set(runs.map((r) => r.scenario));
  for (const scenario of scenarios) {
    const cold = runs
      .filter((r) => r.scenario === scenario && r.variant === 'cold' && !r.warmup && r.status === 'ok')
      .map((r) => r.metrics.readyMs)
      .filter((x): x is number => x !== undefined)
      .sort((a, b) => a - b);
    if (cold.length === 0) continue;
    const half = median(cold) / 2;
    for (const r of runs) {
      if (r.scenario !== scenario || r.variant === 'cold' || r.warmup || r.status !== 'ok') continue;
      if ((r.metrics.readyMs ?? 0) > half) {
        out.push(`suspect: ${scenario} ${r.variant} run ${r.iteration} was ready in ${r.metrics.readyMs} ms, slower than half the cold median (${half.toFixed(0)} ms)`);
      }
    }
  }
  for (const r of runs) {
    const steal = r.metrics.serverCpuStealMs;
    const span = r.metrics.firstResponseMs;
    if (r.warmup || r.status !== 'ok' || steal === undefined || span === undefined) continue;
    if (steal >= Math.max(HOST_STEAL_MIN_MS, HOST_STEAL_SHARE * span)) {
      out.push(`host contention: ${r.scenario} ${r.variant} run ${r.iteration}: the hypervisor took ${steal} ms of the server CPU(s) (steal) in its ${span} ms; that start's times include it`);
    }
  }
  return out;
}
