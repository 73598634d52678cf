import { type LabelledResults } from '../report/chart-style.js';
import { waterfalls } from '../stats/timeline.js';
import { rampGroups } from '../stats/ramp.js';
import { groupOkStarts } from '../stats/group-starts.js';
import { MARK_LABELS } from '../results/timeline.js';
import { median } from 'simple-statistics';

/** The waterfall as a table: each variant's segments, median (95% CI), in the order of their marks. */
export function waterfallTable(input: LabelledResults): string[] {
  const groups = waterfalls(input.results.runs, input.results.config.seed, input.results.config.scenarios);
  if (groups.length === 0) return [];
  const out = [
    '| scenario | variant | n | segment (from → to) | median ms (95% CI) | ends at (median ms) |',
    '| --- | --- | ---: | --- | ---: | ---: |',
  ];
  for (const g of groups) {
    for (const s of g.segments) {
      out.push(
        `| ${g.scenario} | ${g.arm !== undefined ? `${g.arm} ` : ''}${g.variant} | ${s.n}/${g.starts} | ` +
          `${MARK_LABELS[s.from]} → ${MARK_LABELS[s.to]} | ${s.median.toFixed(1)} ` +
          `(${s.ci.low.toFixed(1)}–${s.ci.high.toFixed(1)}) | ${s.endsAtMedian.toFixed(0)} |`,
      );
    }
  }
  return out;
}

/** CRIU's restore figures per InstantOn variant, beside what its checkpoint holds. */
export function restoreStatsTable(input: LabelledResults): string[] {
  const rows: string[] = [];
  for (const { arm, scenario, variant, runs } of groupOkStarts(
    input.results.runs,
    (r) => r.timeline?.criuRestore !== undefined,
    input.results.config.scenarios,
  )) {
    const stats = runs.map((r) => r.timeline?.criuRestore).filter((c): c is NonNullable<typeof c> => c !== undefined);
    const ck = input.results.checkpoints.find((c) => c.scenario === scenario && c.phase === variant && c.arm === arm);
    const files = ck?.contents ? Object.values(ck.contents.files).reduce((a, b) => a + b, 0) : undefined;
    rows.push(
      `| ${scenario} | ${arm ? `${arm} ` : ''}${variant} | ${stats.length} | ` +
        `${median(stats.map((c) => c.restoreMs)).toFixed(1)} | ${median(stats.map((c) => c.forkingMs)).toFixed(1)} | ` +
        `${median(stats.map((c) => c.pagesRestored ?? 0)).toFixed(0)} | ` +
        `${ck ? (ck.addedBytes / 1024 ** 2).toFixed(0) : '–'} | ` +
        `${ck?.contents ? (ck.contents.memoryBytes / 1024 ** 2).toFixed(0) : '–'} | ` +
        `${ck?.contents ? `${ck.contents.processes} / ${ck.contents.threads}` : '–'} | ${files ?? '–'} |`,
    );
  }
  if (rows.length === 0) return [];
  return [
    '| scenario | variant | n | CRIU restore ms (median) | forking ms | pages restored | image adds MiB | checkpoint ' +
      'memory MiB | processes / threads | open files |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ];
}

/** --ramp-up: the derived figures per variant (medians of the verified starts). */
export function rampTable(input: LabelledResults): string[] {
  const groups = rampGroups(input.results.runs, input.results.config.scenarios);
  if (groups.length === 0) return [];
  const n = (v: number | undefined, d = 0): string => (v === undefined ? '–' : v.toFixed(d));
  const s = (v: number | undefined): string => (v === undefined ? '–' : (v / 1000).toFixed(0));
  return [
    "| scenario | variant | starts | concurrency | peak req/s | median curve to 90% of its peak (s) | to 90% of the cold curve's peak (s) | " +
      'requests in first 10 / 30 / 60 s | RSS under load MiB | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...groups.map(
      (g) =>
        `| ${g.scenario} | ${g.arm !== undefined ? `${g.arm} ` : ''}${g.variant} | ${g.starts} | ${g.concurrency} | ` +
        `${n(g.peakRps)} | ${s(g.to90OwnPeakMs)} | ${s(g.to90ColdPeakMs)} | ${n(g.first10s)} / ${n(g.first30s)} / ` +
        `${n(g.first60s)} | ${g.rssUnderLoadKb === undefined ? '–' : (g.rssUnderLoadKb / 1024).toFixed(0)} | ` +
        `${g.errors} of ${g.requests + g.errors} |`,
    ),
  ];
}

/** The harness's own time between starts (not part of any start). */
export function harnessLine(input: LabelledResults): string | undefined {
  const since = input.results.runs.map((r) => r.harness?.sincePreviousMs).filter((v): v is number => v !== undefined);
  const teardown = input.results.runs.map((r) => r.harness?.teardownMs).filter((v): v is number => v !== undefined);
  if (since.length === 0) return undefined;
  return (
    `Harness time between starts (previous start's end to the next launch): median ${median(since).toFixed(0)} ` +
    `ms (max ${Math.max(...since).toFixed(0)} ms, ${since.length} gaps); of it, reading the container and removing ` +
    `it: median ${median(teardown).toFixed(0)} ms. The next start never launches before the previous container is ` +
    `removed.`
  );
}
