import { crossRuntime, type CrossRuntimeRow } from '../../stats/cross-runtime.js';
import type { HostSpeed } from '../../hostspeed/types.js';
import path from 'node:path';
import { readResults } from '../../results/read.js';
import {
  compareReliability,
  compareResults,
  environmentDifferences,
  type Comparison,
  type CompareOptions as StatsCompareOptions,
  type ReliabilityFinding,
} from '../../stats/compare.js';
import { compareArms, compareArmsReliability } from '../../stats/compare-arms.js';
import { analyzeSequential } from '../../stats/sequential.js';
import type { SequentialOutcome } from '../../stats/sequential-types.js';
import { waterfalls, type WaterfallGroup } from '../../stats/timeline.js';
import type { RunRecord } from '../../results/types.js';
import { ResultsFileError, UsageError } from '../../core/errors.js';
import type { CliIo } from '../../core/io.js';
import { type JsonOption } from '../../core/output-paths.js';

export interface Gate {
  readonly rows: Comparison[];
  readonly reliability: Array<ReliabilityFinding & { readonly arm?: string }>;
  readonly envWarnings: string[];
  readonly label: { readonly baseline: string; readonly candidate: string };
  /** The waterfalls of both sides (the arms of one file are told apart by arm). */
  readonly timelines: { readonly baseline: readonly WaterfallGroup[]; readonly candidate: readonly WaterfallGroup[] };
  readonly baselineArm?: string;
  /** A sequential run: its design and looks, replayed (verdicts and adjusted figures come from it). */
  readonly sequential?: SequentialOutcome;
  /** Arms of runtimes that cannot take a variant (runtime=java): each InstantOn phase against that runtime's best. */
  readonly crossRuntime?: readonly CrossRuntimeRow[];
  /** How fast each side's host was (absent: not recorded, a file from before the probe). */
  readonly hostSpeed: { readonly baseline?: HostSpeed; readonly candidate?: HostSpeed };
}

export const timelinesOf = (runs: readonly RunRecord[]): WaterfallGroup[] => waterfalls(runs, 1);

/** Two files: unpaired, with the environment check and the warnings about what is on one side only. */
export async function twoFiles(
  baselineFile: string,
  candidateFile: string,
  opts: CompareOptions,
  co: StatsCompareOptions,
  io: CliIo,
): Promise<Gate> {
  if (opts.baselineArm !== undefined)
    throw new UsageError(
      `--baseline-arm ${opts.baselineArm}: applies to one file with A/B arms, not to two files`,
      `drop --baseline-arm (the first file is the baseline), or compare one file's arms: instanton-bench compare ` +
        `FILE --baseline-arm ${opts.baselineArm}`,
    );
  const baseline = await readResults(path.resolve(io.cwd, baselineFile));
  const candidate = await readResults(path.resolve(io.cwd, candidateFile));
  if (path.resolve(io.cwd, baselineFile) === path.resolve(io.cwd, candidateFile)) {
    io.err(`WARNING: baseline and candidate are the same file (${baselineFile}): there is no change to find`);
  }
  if (baseline.config.arms || candidate.config.arms) {
    throw new UsageError(
      `${baseline.config.arms ? baselineFile : candidateFile} holds A/B arms`,
      `compare its arms paired with instanton-bench compare ${baseline.config.arms ? baselineFile : candidateFile}`,
    );
  }
  const envWarnings = environmentDifferences(baseline, candidate);
  if (envWarnings.length > 0) {
    io.err(
      `WARNING: the two results come from different environments; a verdict may compare apples with ` +
        `oranges:\n${envWarnings.map((w) => `  - ${w}`).join('\n')}`,
    );
    if (opts.requireSameEnvironment) {
      throw new ResultsFileError(
        'refusing to compare results from different environments (--require-same-environment)',
        'rerun both on the same machine, CPUs and images, or drop --require-same-environment',
      );
    }
  }
  const rows = compareResults(baseline, candidate, co);
  const reliability = compareReliability(baseline, candidate);
  if (rows.length === 0 && reliability.length === 0) {
    throw new ResultsFileError(
      `no scenario and variant with ok runs in both ${baselineFile} and ${candidateFile}`,
      'compare results of the same scenarios and variants',
    );
  }
  for (const [label, file, results] of [
    ['baseline', baselineFile, baseline],
    ['candidate', candidateFile, candidate],
  ] as const) {
    if (results.state !== 'complete')
      io.err(
        `WARNING: the ${label} ${file} is ${results.state}: it holds only the starts that finished (finish it with ` +
          `instanton-bench run --resume ${file})`,
      );
  }
  const groups = (f: typeof baseline): Set<string> =>
    new Set(f.runs.filter((r) => !r.warmup).map((r) => `${r.scenario}/${r.variant}`));
  const [inBaseline, inCandidate] = [groups(baseline), groups(candidate)];
  const onlyOne = [
    ...[...inBaseline].filter((g) => !inCandidate.has(g)).map((g) => `${g} only in the baseline`),
    ...[...inCandidate].filter((g) => !inBaseline.has(g)).map((g) => `${g} only in the candidate`),
  ];
  if (onlyOne.length > 0) io.err(`WARNING: not compared: ${onlyOne.join(', ')}`);
  return {
    rows,
    reliability,
    envWarnings,
    label: { baseline: baselineFile, candidate: candidateFile },
    timelines: { baseline: timelinesOf(baseline.runs), candidate: timelinesOf(candidate.runs) },
    hostSpeed: speeds(baseline.environment.hostSpeed, candidate.environment.hostSpeed),
  };
}

/** One file with A/B arms: every arm against the baseline arm, paired by round. */
export async function armsOfOneFile(
  file: string,
  opts: CompareOptions,
  co: StatsCompareOptions,
  io: CliIo,
): Promise<Gate> {
  const results = await readResults(path.resolve(io.cwd, file));
  const arms = (results.config.arms ?? []).map((a) => a.name);
  if (arms.length < 2)
    throw new UsageError(
      `${file} holds no A/B arms, so one file compares with nothing`,
      `compare two files (instanton-bench compare BASELINE CANDIDATE), or measure arms with run --arm base --arm ` +
        `new:KEY=VALUE`,
    );
  if (opts.baselineArm !== undefined && !arms.includes(opts.baselineArm))
    throw new UsageError(
      `--baseline-arm ${opts.baselineArm}: ${file} has no such arm`,
      `use one of: ${arms.join(', ')}`,
    );
  if (results.state !== 'complete')
    io.err(
      `WARNING: ${file} is ${results.state}: it holds only the starts that finished (finish it with instanton-bench ` +
        `run --resume ${file})`,
    );
  const baselineArm = opts.baselineArm ?? (arms[0] as string);
  const design = results.config.sequential;
  const sequential = design ? analyzeSequential(results, design, { baselineArm, seed: co.seed }) : undefined;
  if (design && sequential) {
    const differs = [
      opts.threshold !== undefined && co.thresholdPct !== design.thresholdPct
        ? `--threshold ${co.thresholdPct} (the design's: ${design.thresholdPct})`
        : undefined,
      opts.metric !== undefined && co.metrics.join(',') !== design.metrics.join(',')
        ? `--metric ${co.metrics.join(',')} (the design's: ${design.metrics.join(',')})`
        : undefined,
      opts.primary !== undefined && co.primary !== design.primary
        ? `--primary ${co.primary} (the design's: ${design.primary ?? 'every metric'})`
        : undefined,
    ].filter((x): x is string => x !== undefined);
    // An option that cannot apply is bad input: the run stopped by its recorded design, and only that design is valid.
    if (differs.length > 0)
      throw new UsageError(
        `${differs.join(', ')}: ${file} is a sequential run, judged only by the design it stopped by`,
        'drop the option (compare replays the recorded design), or measure again with the settings you want',
      );
    const last = sequential.looks[sequential.looks.length - 1];
    io.err(
      `compare: ${file} is a sequential run (${design.method}, ${design.spending} spending, looks at rounds ` +
        `${design.minRounds}..${last?.round ?? design.minRounds} of at most ${design.maxRounds}): verdicts, Holm-adjusted ` +
        `repeated p-values and repeated 95% intervals come from that design (a fixed-n analysis of an early-stopped run ` +
        `would overstate the change and understate its error)`,
    );
  }
  const rows = sequential ? [...sequential.comparisons] : compareArms(results, { ...co, baselineArm });
  const reliability = compareArmsReliability(results, baselineArm);
  if (rows.length === 0 && reliability.length === 0)
    throw new ResultsFileError(
      `${file}: no round with ok starts of both the baseline arm ${baselineArm} and another arm`,
      'run more rounds (run --resume, or a new run with more --runs)',
    );
  const all = timelinesOf(results.runs);
  const cross = crossRuntime(results, { metrics: co.metrics, seed: co.seed });
  return {
    rows,
    ...(cross.length > 0 ? { crossRuntime: cross } : {}),
    reliability,
    envWarnings: [],
    label: { baseline: `${file} arm ${baselineArm}`, candidate: `${file} other arms` },
    baselineArm,
    timelines: { baseline: all, candidate: all },
    ...(sequential ? { sequential } : {}),
    hostSpeed: speeds(results.environment.hostSpeed, results.environment.hostSpeed),
  };
}

export const speeds = (baseline?: HostSpeed, candidate?: HostSpeed): Gate['hostSpeed'] => ({
  ...(baseline ? { baseline } : {}),
  ...(candidate ? { candidate } : {}),
});

export interface CompareOptions {
  readonly threshold?: string;
  readonly metric?: string;
  readonly markdown?: string;
  readonly bencher?: string;
  readonly githubBenchmark?: string;
  readonly json?: JsonOption;
  readonly requireSameEnvironment?: boolean;
  readonly failOnInconclusive?: boolean;
  readonly baselineArm?: string;
  readonly primary?: string;
}
