import { median } from 'simple-statistics';
import type { ResultsFile } from '../results/types.js';
import { groupKeys } from './analyze.js';

/** A host whose median start is this much slower or faster than another's is named. */
export const HOST_MEDIAN_RATIO = 1.2;

/**
 * Hosts of a merged file that differ from the others: a median ready time more than
 * HOST_MEDIAN_RATIO apart (per arm, scenario and variant), or starts that were not ok on one
 * host and not on another. Empty for a file from one host.
 */
export function hostDifferences(results: ResultsFile): string[] {
  const measured = results.runs.filter((r) => !r.warmup && r.host !== undefined);
  const hosts = [...new Set(measured.map((r) => r.host as string))];
  if (hosts.length < 2) return [];
  const out: string[] = [];
  const arms = [...new Set(measured.map((r) => r.arm))];
  for (const arm of arms)
    for (const { scenario, variant } of groupKeys(results)) {
      const of = (h: string) =>
        measured.filter((r) => r.host === h && r.arm === arm && r.scenario === scenario && r.variant === variant);
      const rows = hosts.map((h) => {
        const runs = of(h);
        const ready = runs
          .filter((r) => r.status === 'ok')
          .map((r) => r.metrics.readyMs)
          .filter((v): v is number => typeof v === 'number');
        return {
          h,
          n: runs.length,
          notOk: runs.filter((r) => r.status !== 'ok').length,
          median: ready.length > 0 ? median(ready) : undefined,
        };
      });
      const what = `${arm !== undefined ? `[${arm}] ` : ''}${scenario}/${variant}`;
      const timed = rows.filter((r) => r.median !== undefined) as Array<(typeof rows)[number] & { median: number }>;
      if (timed.length >= 2) {
        const slow = timed.reduce((a, b) => (b.median > a.median ? b : a));
        const fast = timed.reduce((a, b) => (b.median < a.median ? b : a));
        if (slow.median / fast.median > HOST_MEDIAN_RATIO)
          out.push(
            `host ${slow.h} differs: ${what} median ready ${slow.median.toFixed(0)} ms, ${(slow.median / fast.median).toFixed(2)}x ` +
              `host ${fast.h}'s ${fast.median.toFixed(0)} ms (compare hosts only with care; the statistics pair and resample within each host)`,
          );
      }
      const bad = rows.filter((r) => r.notOk > 0);
      if (bad.length > 0 && bad.length < rows.length)
        for (const b of bad)
          out.push(
            `host ${b.h} differs: ${what} ${b.notOk} of ${b.n} starts not ok there, none on ${rows
              .filter((r) => r.notOk === 0)
              .map((r) => r.h)
              .join(', ')} (instanton-bench diagnose the merged file)`,
          );
    }
  return out;
}
