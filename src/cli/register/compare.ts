import { type CommandContext, helpFooter, jsonOption } from './context.js';
import { type CompareOptions } from '../commands/compare-inputs.js';
import { DEFAULT_THRESHOLD_PCT } from '../../stats/compare.js';

/** `compare`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(
  ['compare before.json after.json', 'compare results/ab.json --markdown ab.md', 'compare results/ab.json --json -'],
  'a regression, or a start that was not ok',
);

export function registerCompare(ctx: CommandContext): void {
  const { io, setCode } = ctx;
  const command = (name: string, description: string) => ctx.command(name, description, HELP);
  command(
    'compare',
    'compare two results files (unpaired), or the A/B arms of one (paired by round), for regressions: medians, ' +
      'ratio with a bootstrap 95% interval, p-value and its Holm-adjusted value across the gate, verdict ' +
      '(regression, improvement, inconclusive, unchanged: only when the whole interval lies within the ' +
      'threshold), and starts that were not ok; exit 1 on any regression (significant slowdown, or more ' +
      'fallback or failed starts), 2 on bad input',
  )
    .argument(
      '<baseline>',
      'baseline results JSON, or one results JSON with A/B arms (its arms are compared with the baseline arm, paired ' +
        'by round)',
    )
    .argument('[candidate]', 'candidate results JSON (two files are compared unpaired)')
    .option('--threshold <pct>', `smallest median change that counts (default ${DEFAULT_THRESHOLD_PCT})`)
    .option(
      '--metric <list>',
      'comma-separated: readyMs, firstResponseMs, readyAfterContainerStartMs, rssAfterReadyKb, ' +
        'rssAfterFirstResponseKb (default readyMs,firstResponseMs)',
    )
    .option('--markdown <file>', 'also write the markdown table to a file (for CI comments); - for stdout')
    .option('--bencher <file>', "write the candidate's figures in Bencher Metric Format JSON; - for stdout")
    .addOption(jsonOption('every comparison (medians, ratio and interval, p-value, verdict, starts not ok)'))
    .option(
      '--github-benchmark <file>',
      "write the candidate's figures as github-action-benchmark customSmallerIsBetter JSON; - for stdout",
    )
    .option(
      '--require-same-environment',
      'refuse (exit 2) when kernel, CPU, pinning or images differ, instead of warning',
    )
    .option(
      '--baseline-arm <name>',
      'with one file of A/B arms: the arm the others are compared with (default: the first)',
    )
    .option(
      '--primary <metric>',
      'only this metric can fail the gate (Holm across its comparisons alone); the others are shown',
    )
    .option(
      '--fail-on-inconclusive',
      'also exit 1 when a change beyond the threshold is not significant (too few or too noisy runs)',
    )
    .action(async (baseline: string, candidate: string | undefined, opts: CompareOptions) =>
      setCode(await (await import('../commands/compare.js')).compareCommand(baseline, candidate, opts, io)),
    );
}
