import path from 'node:path';
import { EXIT_FAILURE, EXIT_OK } from '../../core/errors.js';
import type { CliIo } from '../../core/io.js';
import { checkJsonTarget, emitJson, textOut, type JsonOption } from '../../core/output-paths.js';
import { readResults } from '../../results/read.js';
import { gateFindings } from '../../history/trend.js';
import { isReferenced } from '../../store/record.js';
import { loadTrend, storeOf, type SeriesInput } from '../../history/load.js';
import { gateLine, trendLines } from '../../history/trend-text.js';
import { parseLabels } from '../../store/labels.js';
import { storeResults } from '../../store/store-results.js';

export async function historyAddCommand(
  files: readonly string[],
  opts: Record<string, unknown>,
  io: CliIo,
): Promise<number> {
  const labels = parseLabels(opts.label as string[] | undefined);
  const entries = [];
  for (const f of files) {
    const file = path.resolve(io.cwd, f);
    entries.push({
      results: await readResults(file),
      file,
      ...(labels ? { labels } : {}),
      ...(typeof opts.reportUrl === 'string' ? { report: opts.reportUrl } : {}),
    });
  }
  const outcomes = await storeResults(storeOf(opts, io), entries, (l) => io.err(`history: ${l}`), 'history add');
  const added = outcomes.filter((o) => o.added).length;
  const overlapping = outcomes.filter((o) => !o.added && o.overlaps).length;
  io.out(
    `history: ${added} run(s) added, ${outcomes.length - added - overlapping} already in the store` +
      (overlapping > 0 ? `, ${overlapping} refused (the store holds other files of their fleet plan)` : ''),
  );
  return EXIT_OK;
}

export async function historyTrendCommand(opts: Record<string, unknown>, io: CliIo): Promise<number> {
  const json = opts.json as JsonOption;
  await checkJsonTarget(json, io.cwd);
  const say = textOut(json, io);
  const { trend, store } = await loadTrend(opts as SeriesInput, io);
  const builds = Math.max(...trend.series.map((s) => s.builds.length));
  const referenced = trend.series.some(isReferenced);
  say(
    `history: ${trend.series.length} ${referenced ? 'series of paired ratios to the reference arm' : 'series'} from the ${store} (up to ${builds} builds; E-divisive, permutation ` +
      `test, Holm across the series at ${trend.method.alpha})`,
  );
  for (const l of trendLines(trend)) say(l);
  const findings = opts.failOnChange ? gateFindings(trend) : [];
  await emitJson(
    json,
    {
      kind: 'instanton-bench/history-trend',
      store,
      method: trend.method,
      changePoints: trend.changePoints,
      ...(opts.failOnChange ? { gate: { failed: findings.length > 0, findings } } : {}),
      series: trend.series,
    },
    io,
  );
  if (!opts.failOnChange) return EXIT_OK;
  for (const f of findings) io.err(gateLine(f, trend.method.thresholdPct));
  if (findings.length === 0)
    say(`history: no series' newest builds lie past a change point slower by ${trend.method.thresholdPct}% or more`);
  return findings.length > 0 ? EXIT_FAILURE : EXIT_OK;
}

export async function historyReportCommand(opts: Record<string, unknown>, io: CliIo): Promise<number> {
  const { writeDashboard } = await import('../../history/dashboard-write.js');
  return writeDashboard(opts, io);
}

export async function historyConfirmCommand(
  opts: Record<string, unknown>,
  io: CliIo,
  world: import('../../run/world.js').RunWorld | undefined,
): Promise<number> {
  const { confirmChange } = await import('../../history/confirm.js');
  return confirmChange(opts, io, world);
}
