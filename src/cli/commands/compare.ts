import type { Command } from 'commander';
import { type CommandContext, helpFooter, jsonOption } from '../command-context.js';
import { crossRuntimeMarkdown } from '../../stats/cross-runtime.js';
import type { HostSpeed } from '../../hostspeed/types.js';
import { REFERENCE_HOST } from '../../hostspeed/index.js';
import path from 'node:path';
import { compareMarkdown } from '../../export/compare-markdown.js';
import { toBencherJson, toGithubBenchmarkJson } from '../../export/bmf.js';
import {
  COMPARABLE_METRICS,
  describeStarts,
  DEFAULT_COMPARE_METRICS,
  DEFAULT_THRESHOLD_PCT,
  SIGNIFICANCE_ALPHA,
  type ComparableMetric,
  type Comparison,
  type CompareOptions as StatsCompareOptions,
} from '../../stats/compare.js';
import { largestSegmentChange, type WaterfallGroup } from '../../stats/timeline.js';
import { MARK_LABELS } from '../../results/timeline.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../../core/errors.js';
import type { CliIo } from '../../core/io.js';
import { checkOutputFile, emitOutput, jsonTarget } from '../../core/output-paths.js';
import { armsOfOneFile, twoFiles, type Gate, type CompareOptions } from './compare-inputs.js';

function parseMetrics(text: string | undefined): ComparableMetric[] {
  if (text === undefined) return [...DEFAULT_COMPARE_METRICS];
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!(COMPARABLE_METRICS as readonly string[]).includes(n))
      throw new UsageError(`unknown metric "${n}"`, `use one or more of: ${COMPARABLE_METRICS.join(', ')}`);
  }
  return names as ComparableMetric[];
}

/** For a regression: the timeline segment whose median moved most, in words. */
export function segmentNote(gate: Pick<Gate, 'timelines'>, r: Comparison, baselineArm?: string): string | undefined {
  const find = (groups: readonly WaterfallGroup[], arm: string | undefined): WaterfallGroup | undefined =>
    groups.find((g) => g.scenario === r.scenario && g.variant === r.variant && g.arm === arm);
  const until =
    r.metric === 'firstResponseMs'
      ? 'firstResponse'
      : r.metric === 'readyMs' || r.metric === 'readyAfterContainerStartMs'
        ? 'ready'
        : undefined;
  if (until === undefined) return undefined; // memory: no timeline explains it
  const change = largestSegmentChange(
    find(gate.timelines.baseline, baselineArm),
    find(gate.timelines.candidate, r.arm),
    until,
  );
  if (!change) return undefined;
  const d = change.candidateMs - change.baselineMs;
  return (
    `segment that changed most: ${MARK_LABELS[change.from]} → ${MARK_LABELS[change.to]} ` +
    `${d >= 0 ? '+' : ''}${d.toFixed(0)} ms (median ${change.baselineMs.toFixed(0)} → ` +
    `${change.candidateMs.toFixed(0)} ms)`
  );
}

export async function compareCommand(
  baselineFile: string,
  candidateFile: string | undefined,
  opts: CompareOptions,
  io: CliIo,
): Promise<number> {
  const thresholdPct = opts.threshold === undefined ? DEFAULT_THRESHOLD_PCT : Number(opts.threshold);
  if (!Number.isFinite(thresholdPct) || thresholdPct < 0 || thresholdPct >= 100) {
    throw new UsageError(
      `--threshold ${opts.threshold}: expected a percentage from 0 to 99`,
      'pass e.g. --threshold 5',
    );
  }
  const metrics = parseMetrics(opts.metric);
  const primary = opts.primary === undefined ? undefined : (parseMetrics(opts.primary)[0] as ComparableMetric);
  if (primary !== undefined && !metrics.includes(primary))
    throw new UsageError(
      `--primary ${primary}: not among the compared metrics (${metrics.join(', ')})`,
      `add it to --metric, or choose one of ${metrics.join(', ')}`,
    );
  const outputs = {
    '--markdown': opts.markdown,
    '--bencher': opts.bencher,
    '--json': jsonTarget(opts.json),
    '--github-benchmark': opts.githubBenchmark,
  };
  const toStdout = Object.entries(outputs).filter(([, file]) => file === '-');
  if (toStdout.length > 1)
    throw new UsageError(
      `${toStdout.map(([flag]) => `${flag} -`).join(' and ')}: only one output can go to stdout`,
      'write the others to files',
    );
  for (const [flag, file] of Object.entries(outputs))
    if (file !== undefined && file !== '-') await checkOutputFile(flag, path.resolve(io.cwd, file));
  // A fixed seed: the same files always give the same intervals.
  const co: StatsCompareOptions = { thresholdPct, metrics, seed: 1, ...(primary !== undefined ? { primary } : {}) };
  const gate =
    candidateFile === undefined
      ? await armsOfOneFile(baselineFile, opts, co, io)
      : await twoFiles(baselineFile, candidateFile, opts, co, io);
  return reportGate(gate, gate.sequential?.design.thresholdPct ?? thresholdPct, opts, io);
}

/** One line: each side's host speed index (both sides of one file's arms ran on one host). */
function hostSpeedLine(gate: Gate): string {
  const { baseline, candidate } = gate.hostSpeed;
  const text = (s?: HostSpeed): string => (s ? `index ${s.index}` : 'not recorded');
  return gate.baselineArm !== undefined
    ? `compare: host speed ${text(baseline)} (every arm ran on this host)`
    : `compare: host speed: baseline ${text(baseline)}, candidate ${text(candidate)} (100 = ${REFERENCE_HOST})`;
}

async function reportGate(gate: Gate, thresholdPct: number, opts: CompareOptions, io: CliIo): Promise<number> {
  const { rows, reliability, envWarnings } = gate;
  io.err(hostSpeedLine(gate));
  const notes = new Map(
    rows
      .filter((r) => r.gating && r.verdict === 'regression')
      .map((r) => [r, segmentNote(gate, r, gate.baselineArm)] as const),
  );
  const whereChanged = [...notes]
    .filter(([, n]) => n !== undefined)
    .map(([r, n]) => `- ${r.arm !== undefined ? `${r.arm} ` : ''}${r.scenario}/${r.variant} ${r.metric}: ${n}`);
  const md =
    compareMarkdown(rows, thresholdPct, envWarnings, reliability, gate.sequential) +
    (gate.crossRuntime ? `\n\n${crossRuntimeMarkdown(gate.crossRuntime)}` : '') +
    (whereChanged.length > 0
      ? `\n\nWhere the regressions' time went (timeline medians):\n${whereChanged.join('\n')}`
      : '');
  // `-` sends one machine-readable output to stdout; the table then goes to stderr, so stdout parses.
  const json = jsonTarget(opts.json);
  const stdoutTaken = [opts.markdown, opts.bencher, json, opts.githubBenchmark].includes('-');
  const emit = (flag: string, file: string, text: string): Promise<void> => emitOutput(flag, file, text, io);
  (stdoutTaken ? io.err : io.out)(md);
  if (opts.markdown) await emit('--markdown', opts.markdown, `${md}\n`);
  if (opts.bencher) await emit('--bencher', opts.bencher, `${JSON.stringify(toBencherJson(rows), null, 2)}\n`);
  if (json) {
    const doc = compareJson(gate, thresholdPct, rows);
    await emit('--json', json, `${JSON.stringify(doc, null, 2)}\n`);
  }
  if (opts.githubBenchmark)
    await emit('--github-benchmark', opts.githubBenchmark, `${JSON.stringify(toGithubBenchmarkJson(rows), null, 2)}\n`);
  const gating = rows.filter((r) => r.gating);
  const inconclusive = gating.filter((r) => r.verdict === 'inconclusive');
  const name = (r: Comparison): string =>
    `${r.arm !== undefined ? `${r.arm} ` : ''}${r.scenario}/${r.variant} ${r.metric} ` +
    `${r.ratio >= 1 ? '+' : ''}${((r.ratio - 1) * 100).toFixed(1)}%`;
  const regressions = [
    ...gating
      .filter((r) => r.verdict === 'regression')
      .map(
        (r) =>
          `${name(r)} (${gate.sequential ? 'repeated ' : ''}95% CI ${r.ratioCi.low.toFixed(3)}-${r.ratioCi.high.toFixed(3)}${r.paired ? ' paired' : ''}, ` +
          `Holm p=${r.pAdjusted.toFixed(4)}${notes.get(r) ? `; ${notes.get(r)}` : ''})`,
      ),
    ...reliability
      .filter((f) => f.verdict === 'regression')
      .map((f) => `${f.arm !== undefined ? `${f.arm} ` : ''}${f.scenario}/${f.variant} ${describeStarts(f.candidate)}`),
  ];
  if (inconclusive.length > 0) io.err(inconclusiveWarning(inconclusive, name, opts.failOnInconclusive ?? false));
  if (regressions.length > 0) io.err(`compare: ${regressions.length} regression(s): ${regressions.join(', ')}`);
  else io.err(`compare: no regression${inconclusive.length > 0 ? ` (${inconclusive.length} inconclusive)` : ''}`);
  if (regressions.length > 0) return EXIT_FAILURE;
  return opts.failOnInconclusive && inconclusive.length > 0 ? EXIT_FAILURE : EXIT_OK;
}

/** compare --json: the gate's design, every comparison, the environment's differences, the starts not ok. */
function compareJson(gate: Gate, thresholdPct: number, rows: readonly Comparison[]) {
  return {
    kind: 'instanton-bench-compare',
    baseline: gate.label.baseline,
    candidate: gate.label.candidate,
    thresholdPct,
    alpha: SIGNIFICANCE_ALPHA,
    correction: 'holm',
    ...(gate.sequential
      ? {
          sequential: {
            design: gate.sequential.design,
            looks: gate.sequential.looks,
            stoppedAtRound: gate.sequential.looks[gate.sequential.looks.length - 1]?.round,
            answerKnown: gate.sequential.decided,
            figures:
              'ratio: exp of the 20%-trimmed mean of per-round log ratios at the last look; ratioCi: the repeated ' +
              '95% interval; pValue: the repeated p-value; pAdjusted: Holm across the gate',
          },
        }
      : {}),
    environmentDifferences: gate.envWarnings,
    hostSpeed: gate.hostSpeed,
    comparisons: rows,
    ...(gate.crossRuntime ? { crossRuntime: gate.crossRuntime } : {}),
    startsNotOk: gate.reliability,
  };
}

/** The comparisons these runs cannot decide: named, with the rounds that would, and what the gate does with them. */
function inconclusiveWarning(
  inconclusive: readonly Comparison[],
  name: (r: Comparison) => string,
  failOnInconclusive: boolean,
): string {
  const decide = (r: (typeof inconclusive)[number]): string =>
    r.roundsToDecide !== undefined
      ? `; about ${r.roundsToDecide} ${r.paired ? 'rounds' : 'runs per side'} would decide it`
      : '';
  const lines = inconclusive.map(
    (r) =>
      `  - ${name(r)} (n=${r.baseline.n} vs ${r.candidate.n}, p=${r.pValue.toFixed(3)}, ` +
      `Holm ${r.pAdjusted.toFixed(3)}${decide(r)})`,
  );
  const gate = failOnInconclusive
    ? 'the gate fails on them (--fail-on-inconclusive)'
    : 'pass --fail-on-inconclusive to make the gate fail on them';
  return (
    `WARNING: ${inconclusive.length} comparison(s) cannot be decided from these runs, so they are neither passed ` +
    `nor flagged:\n${lines.join('\n')}\n  ${gate}`
  );
}

/** `compare`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(
  ['compare before.json after.json', 'compare results/ab.json --markdown ab.md', 'compare results/ab.json --json -'],
  'a regression, or a start that was not ok',
);

export function define(command: Command, { io, setCode }: CommandContext): void {
  command
    .addHelpText('after', HELP)
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
      setCode(await compareCommand(baseline, candidate, opts, io)),
    );
}
