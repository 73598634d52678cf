import type { StoredSeries } from '../../src/store/read.js';
import type { StoredRun } from '../../src/store/record.js';

/** The series a store would read back from these runs (as readSeries groups its rows), in the runs' order. */
export function seriesOfRuns(runs: readonly StoredRun[], metric = 'readyMs'): StoredSeries[] {
  const out = new Map<string, StoredSeries>();
  for (const run of runs)
    for (const p of run.points) {
      if (p.metric !== metric) continue;
      const id = JSON.stringify([p.scenario, p.variant, p.arm, p.hostClass, p.metric]);
      const s = out.get(id) ?? {
        scenario: p.scenario,
        variant: p.variant,
        arm: p.arm,
        hostClass: p.hostClass,
        metric: p.metric,
        builds: [],
      };
      out.set(id, s);
      s.builds.push({
        key: run.buildKey,
        labels: run.labels,
        firstAt: run.createdAt,
        attributes: run.attributes,
        ...(typeof run.host.hostSpeedIndex === 'number' ? { hostSpeedIndex: run.host.hostSpeedIndex } : {}),
        values: [...p.values],
        segments: p.segments ? [p.segments] : [],
        reports: [],
        sources: [],
      });
    }
  return [...out.values()];
}
