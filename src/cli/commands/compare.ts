import path from 'node:path';
import { compareMarkdown, toBencherJson, toGithubBenchmarkJson } from '../../report/compare-output.js';
import { readResults } from '../../results/read.js';
import { COMPARABLE_METRICS, compareReliability, compareResults, describeStarts, DEFAULT_COMPARE_METRICS, DEFAULT_THRESHOLD_PCT, environmentDifferences, RECOMMENDED_RUNS, SIGNIFICANCE_ALPHA, type ComparableMetric } from '../../stats/compare.js';
import { EXIT_FAILURE, EXIT_OK, ResultsFileError, UsageError } from '../../core/errors.js';
import type { CliIo } from '../../core/io.js';
import { checkOutputFile, writeOutput } from '../../core/output-paths.js';

export interface CompareOptions {
  readonly threshold?: string;
  readonly metric?: string;
  readonly markdown?: string;
  readonly bencher?: string;
  readonly githubBenchmark?: string;
  readonly json?: string;
  readonly requireSameEnvironment?: boolean;
  readonly failOnInconclusive?: boolean;
}

function parseMetrics(text: string | undefined): ComparableMetric[] {
  if (text === undefined) return [...DEFAULT_COMPARE_METRICS];
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!(COMPARABLE_METRICS as readonly string[]).includes(n)) throw new UsageError(`unknown metric "${n}"`, `use one or more of: ${COMPARABLE_METRICS.join(', ')}`);
  }
  return names as ComparableMetric[];
}

export async function compareCommand(baselineFile: string, candidateFile: string, opts: CompareOptions, io: CliIo): Promise<number> {
  const thresholdPct = opts.threshold === undefined ? DEFAULT_THRESHOLD_PCT : Number(opts.threshold);
  if (!Number.isFinite(thresholdPct) || thresholdPct < 0 || thresholdPct >= 100) {
    throw new UsageError(`--threshold ${opts.threshold}: expected a percentage from 0 to 99`, 'pass e.g. --threshold 5');
  }
  const metrics = parseMetrics(opts.metric);
  const outputs = { '--markdown': opts.markdown, '--bencher': opts.bencher, '--json': opts.json, '--github-benchmark': opts.githubBenchmark };
  for (const [flag, file] of Object.entries(outputs)) if (file !== undefined) await checkOutputFile(flag, path.resolve(io.cwd, file));
  const baseline = await readResults(path.resolve(io.cwd, baselineFile));
  const candidate = await readResults(path.resolve(io.cwd, candidateFile));
  if (path.resolve(io.cwd, baselineFile) === path.resolve(io.cwd, candidateFile)) {
    io.err(`WARNING: baseline and candidate are the same file (${baselineFile}): every verdict is "unchanged" by construction`);
  }
  const envWarnings = environmentDifferences(baseline, candidate);
  if (envWarnings.length > 0) {
    io.err(`WARNING: the two results come from different environments; a verdict may compare apples with oranges:\n${envWarnings.map((w) => `  - ${w}`).join('\n')}`);
    if (opts.requireSameEnvironment) {
      throw new ResultsFileError('refusing to compare results from different environments (--require-same-environment)', 'rerun both on the same machine, CPUs and images, or drop --require-same-environment');
    }
  }
  const rows = compareResults(baseline, candidate, { thresholdPct, metrics, seed: 1 } /* fixed: the same files always give the same intervals */);
  const reliability = compareReliability(baseline, candidate);
  if (rows.length === 0 && reliability.length === 0) {
    throw new ResultsFileError(`no scenario and variant with ok runs in both ${baselineFile} and ${candidateFile}`, 'compare results of the same scenarios and variants');
  }
  for (const [label, file, results] of [['baseline', baselineFile, baseline], ['candidate', candidateFile, candidate]] as const) {
    if (results.state !== 'complete') io.err(`WARNING: the ${label} ${file} is ${results.state}: it holds only the starts that finished (finish it with instanton-bench run --resume ${file})`);
  }
  const groups = (f: typeof baseline): Set<string> => new Set(f.runs.filter((r) => !r.warmup).map((r) => `${r.scenario}/${r.variant}`));
  const [inBaseline, inCandidate] = [groups(baseline), groups(candidate)];
  const onlyOne = [...[...inBaseline].filter((g) => !inCandidate.has(g)).map((g) => `${g} only in the baseline`), ...[...inCandidate].filter((g) => !inBaseline.has(g)).map((g) => `${g} only in the candidate`)];
  if (onlyOne.length > 0) io.err(`WARNING: not compared: ${onlyOne.join(', ')}`);
  const md = compareMarkdown(rows, thresholdPct, envWarnings, reliability);
  io.out(md);
  if (opts.markdown) await writeOutput('--markdown', path.resolve(io.cwd, opts.markdown), `${md}\n`);
  if (opts.bencher) await writeOutput('--bencher', path.resolve(io.cwd, opts.bencher), `${JSON.stringify(toBencherJson(rows), null, 2)}\n`);
  if (opts.json) {
    const doc = { kind: 'instanton-bench-compare', baseline: baselineFile, candidate: candidateFile, thresholdPct, alpha: SIGNIFICANCE_ALPHA, environmentDifferences: envWarnings, comparisons: rows, startsNotOk: reliability };
    await writeOutput('--json', path.resolve(io.cwd, opts.json), `${JSON.stringify(doc, null, 2)}\n`);
  }
  if (opts.githubBenchmark) await writeOutput('--github-benchmark', path.resolve(io.cwd, opts.githubBenchmark), `${JSON.stringify(toGithubBenchmarkJson(rows), null, 2)}\n`);
  const inconclusive = rows.filter((r) => r.verdict === 'inconclusive');
  const name = (r: (typeof rows)[number]): string => `${r.scenario}/${r.variant} ${r.metric} ${r.ratio >= 1 ? '+' : ''}${((r.ratio - 1) * 100).toFixed(1)}%`;
  const regressions = [
    ...rows.filter((r) => r.verdict === 'regression').map(name),
    ...reliability.filter((f) => f.verdict === 'regression').map((f) => `${f.scenario}/${f.variant} ${describeStarts(f.candidate)}`),
  ];
  if (inconclusive.length > 0) {
    io.err(
      `WARNING: ${inconclusive.length} change(s) beyond ${thresholdPct}% could not be shown to be real, so they are neither passed nor flagged:\n${inconclusive
        .map((r) => `  - ${name(r)} (n=${r.baseline.n} vs ${r.candidate.n}, p=${r.pValue.toFixed(3)})`)
        .join('\n')}\n  rerun both sides with more runs (--runs ${RECOMMENDED_RUNS} or more)${opts.failOnInconclusive ? '' : ', or pass --fail-on-inconclusive to make the gate fail on them'}`,
    );
  }
  if (regressions.length > 0) io.err(`compare: ${regressions.length} regression(s): ${regressions.join(', ')}`);
  else io.err(`compare: no regression${inconclusive.length > 0 ? ` (${inconclusive.length} inconclusive)` : ''}`);
  if (regressions.length > 0) return EXIT_FAILURE;
  return opts.failOnInconclusive && inconclusive.length > 0 ? EXIT_FAILURE : EXIT_OK;
}
