import { Command, Option } from 'commander';
import { collect, helpFooter, type CommandContext } from './context.js';

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
const jsonOption = (what: string) =>
  new Option(
    '--json [file]',
    `write ${what} as JSON to FILE; --json alone or --json - prints it to stdout (the text then goes to stderr)`,
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

export function registerHistory({ command, io, world, setCode }: CommandContext): void {
  const load = () => import('../commands/history.js');
  const history = command(
    'history',
    'results over builds: a store of runs (embedded, or a shared PostgreSQL), change points across builds ' +
      '(E-divisive, a permutation test, Holm across series), a trend dashboard, and paired runs that confirm a change',
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
      setCode(await (await load()).historyAddCommand(files, opts, io)),
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
    .action(async (opts: Record<string, unknown>) => setCode(await (await load()).historyTrendCommand(opts, io)));
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
    .action(async (opts: Record<string, unknown>) => setCode(await (await load()).historyReportCommand(opts, io)));
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
    .action(async (opts: Record<string, unknown>) =>
      setCode(await (await load()).historyConfirmCommand(opts, io, world)),
    );
}
