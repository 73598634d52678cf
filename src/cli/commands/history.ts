import { type Command, Option } from 'commander';
import { collect, helpFooter, jsonOption, type CommandContext } from '../command-context.js';
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

/**
 * `history`: the results store and what it holds over builds. Its options are declared here with their defaults'
 * words; the work is loaded from history.ts when a subcommand runs (so --help stays light).
 */
const storeOption = () =>
  new Option(
    '--store <url|dir>',
    'the results store: a directory (an embedded PostgreSQL, PGlite; default results/history) or a ' +
      'postgres://USER:PASSWORD@HOST:PORT/DB URL shared by many hosts',
  );

/** The series filters trend, report and confirm share. */
function seriesOptions(c: Command): Command {
  return c
    .option('--scenario <name>', 'only this scenario')
    .option('--variant <name>', 'only this variant (cold, aotCache, beforeAppStart, afterAppStart)')
    .option(
      '--metric <list>',
      'comma-separated: readyMs, firstResponseMs, readyAfterContainerStartMs, rssAfterReadyKb, rssAfterFirstResponseKb ' +
        '(default readyMs,firstResponseMs)',
    )
    .option('--host <text>', 'only host classes (CPU models) that contain this text')
    .option(
      '--absolute',
      'follow the absolute figures even where builds were measured beside a reference arm (run --reference; by ' +
        "default the trend follows each build's paired ratio to it)",
    );
}

export function define(history: Command, { io, world, setCode }: CommandContext): void {
  history.addHelpText(
    'after',
    helpFooter(
      [
        'run --store results/history --label build=42 --label commit=1a2b3c',
        'history add results/reference/*.json',
        'history trend --scenario pingperf --variant cold --fail-on-change',
        'history report --out reports/history',
        'history confirm --change 1 --out results/confirm.json',
      ],
      'history trend --fail-on-change: the newest builds lie past a change point that made them slower',
    ),
  );
  history
    .command('add')
    .description(
      "add results files to the store (each with its run's labels and these); the same run added twice adds nothing",
    )
    .argument('<results...>', 'results JSON files (the shards of one build may be added together)')
    .addOption(storeOption())
    .option('--label <key=value>', 'what identifies the build, e.g. build=42, commit=1a2b3c (repeatable)', collect)
    .option('--report-url <url>', "a link to this run's report, shown in the dashboard")
    .action(async (files: string[], opts: Record<string, unknown>) =>
      setCode(await historyAddCommand(files, opts, io)),
    );
  seriesOptions(
    history
      .command('trend')
      .description(
        'find change points in each series (scenario x variant x metric x host class) over the build order: where, ' +
          'how big (after/before with a 95% interval), how sure (p-value, Holm-adjusted across the series), which ' +
          'timeline segment moved, and which recorded differences (labels, cold state, JDK, Liberty, options, ' +
          'images) change at the same build',
      ),
  )
    .addOption(storeOption())
    .option('--threshold <pct>', 'smallest change --fail-on-change fails on, in percent (default 5)')
    .option('--alpha <p>', 'family-wise error across the series (default 0.04)')
    .option(
      '--fail-on-change',
      'exit 1 when the newest builds of any series lie past a change point that made them slower beyond --threshold',
    )
    .addOption(jsonOption('the change points and the series'))
    .action(async (opts: Record<string, unknown>) => setCode(await historyTrendCommand(opts, io)));
  seriesOptions(
    history
      .command('report')
      .description(
        'a self-contained HTML dashboard (vega-lite): per series the median per build with its interval, change ' +
          "points marked with their size, each build's labels on hover and a link to its report, confirmations",
      ),
  )
    .addOption(storeOption())
    .option('--out <dir>', 'output directory (default reports/history)')
    .option('--last <n>', 'builds drawn per series, the newest (default 500; change points are found over all)')
    .addOption(jsonOption('the trend the dashboard draws'))
    .action(async (opts: Record<string, unknown>) => setCode(await historyReportCommand(opts, io)));
  seriesOptions(
    history
      .command('confirm')
      .description(
        'run the builds on either side of a change point as paired A/B arms of one interleaved, sequential run ' +
          '(their images by ID, their recorded cold state), and record the verdict against the change point',
      ),
  )
    .addOption(storeOption())
    .option('--change <n>', 'the change point to confirm: its number in history trend (default 1, the first)')
    .option('--out <file>', "the confirming run's results JSON (default results/confirm-<time>.json)")
    .option('--max-rounds <n>', 'the most rounds the sequential gate measures (default 40)')
    .option('--threshold <pct>', 'smallest change that counts, in percent (default 5)')
    .action(async (opts: Record<string, unknown>) => setCode(await historyConfirmCommand(opts, io, world)));
}
