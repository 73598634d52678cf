import type { Command } from 'commander';
import { type CommandContext, helpFooter, jsonOption } from '../command-context.js';

import { crossRuntimeOf } from '../../stats/cross-runtime.js';
import path from 'node:path';
import { allCharts } from '../../report/charts.js';
import { type LabelledResults } from '../../report/chart-style.js';
import { forestChart } from '../../report/forest-chart.js';
import { compareArms } from '../../stats/compare-arms.js';
import { analyzeSequential } from '../../stats/sequential.js';
import { DEFAULT_COMPARE_METRICS, DEFAULT_THRESHOLD_PCT, type Comparison } from '../../stats/compare.js';
import { reportHtml, type RenderedChart } from '../../export/html.js';
import { summaryMarkdown } from '../../export/markdown.js';
import { FONT_METRICS_INSTALLED, renderPng, renderSvg } from '../../report/render.js';
import { readResults } from '../../results/read.js';
import { splitByArm } from '../../results/split-arms.js';
import { toCsv } from '../../export/csv.js';
import { hygieneFindings } from '../../results/hygiene.js';
import { analyze } from '../../stats/analyze.js';
import type { ResultsFile } from '../../results/types.js';
import { BenchError, UsageError } from '../../core/errors.js';
import { rm } from 'node:fs/promises';
import type { CliIo } from '../../core/io.js';
import {
  checkJsonTarget,
  checkOutputDir,
  emitJson,
  textOut,
  writeOutput,
  type JsonOption,
} from '../../core/output-paths.js';
import { waterfalls } from '../../stats/timeline.js';
import { rampGroups } from '../../stats/ramp.js';

/** Label results files for charts: the file name, made unique. */
export function labelsFor(files: readonly string[]): string[] {
  const base = files.map((f) => path.basename(f).replace(/\.json$/i, ''));
  return base.map((b, i) => (base.indexOf(b) === i && base.lastIndexOf(b) === i ? b : `${b} (${i + 1})`));
}

async function readAll(files: readonly string[], cwd: string): Promise<ResultsFile[]> {
  if (files.length === 0)
    throw new UsageError(
      'no results file given',
      'pass one or more results JSON files, e.g. instanton-bench report results/run-*.json',
    );
  const out: ResultsFile[] = [];
  for (const file of files) out.push(await readResults(path.resolve(cwd, file)));
  return out;
}

/** Each file labelled and analysed; a file with A/B arms shows each arm side by side, like separate files. */
function labelled(files: readonly string[], wholes: readonly ResultsFile[]): LabelledResults[] {
  const labels = labelsFor(files);
  return wholes.flatMap((whole, i) =>
    splitByArm(whole).map(({ arm, results }) => {
      const label = arm === undefined ? (labels[i] as string) : files.length > 1 ? `${labels[i]} ${arm}` : arm;
      return { label, results, analysis: analyze(results, label) };
    }),
  );
}

export async function loadLabelled(files: readonly string[], cwd: string): Promise<LabelledResults[]> {
  return labelled(files, await readAll(files, cwd));
}

export async function reportCommand(
  files: readonly string[],
  opts: { out?: string; json?: JsonOption },
  io: CliIo,
): Promise<number> {
  const outDir = path.resolve(io.cwd, opts.out ?? 'reports');
  await checkJsonTarget(opts.json, io.cwd);
  if (files.length > 0) await checkOutputDir('--out', outDir);
  const wholes = await readAll(files, io.cwd);
  const inputs = labelled(files, wholes);
  if (inputs.every((x) => !x.results.runs.some((r) => !r.warmup)))
    throw new UsageError(
      `${files.join(', ')}: no measured start to report (the run stopped before its first measured start?)`,
      'finish the run (instanton-bench run --resume FILE) or pass a results file that holds starts',
    );
  const rendered: RenderedChart[] = [];
  if (!FONT_METRICS_INSTALLED)
    io.err(
      'report: warning: DejaVu Sans is not installed (Debian: fonts-dejavu-core), so chart text is laid out from ' +
        'estimated widths and the charts get wide margins',
    );
  const arms = armComparisons(files, wholes);
  const charts = chartsToDraw(inputs, files, arms, io);
  const writeFile = allOrNothingWriter();
  for (const chart of charts) {
    io.err(`report: rendering ${chart.name}`);
    const svg = await renderSvg(chart.spec);
    await writeFile(path.join(outDir, `${chart.name}.vl.json`), `${JSON.stringify(chart.spec, null, 2)}\n`);
    await writeFile(path.join(outDir, `${chart.name}.svg`), svg);
    await writeFile(path.join(outDir, `${chart.name}.png`), renderPng(svg));
    rendered.push({ name: chart.name, title: chart.title, svg });
  }
  const labels = labelsFor(files);
  const cross = wholes
    .map((w, i) => ({ label: labels[i] as string, rows: crossRuntimeOf(w) }))
    .filter((c) => c.rows.length > 0);
  await writeFile(path.join(outDir, 'summary.md'), summaryMarkdown(inputs, cross));
  const runs = inputs.flatMap((i) => i.results.runs);
  await writeFile(path.join(outDir, 'runs.csv'), toCsv(runs));
  await writeFile(path.join(outDir, 'index.html'), reportHtml(inputs, rendered, new Date().toISOString(), cross));
  const text = textOut(opts.json, io);
  text(`report: ${path.join(outDir, 'index.html')}`);
  text(`        ${rendered.length} charts (.svg, .png, .vl.json), summary.md, runs.csv in ${outDir}`);
  await emitJson(opts.json, reportJson(outDir, rendered, inputs, arms), io);
  return 0;
}

/**
 * Each results file with A/B arms: every arm against the baseline arm, paired (the forest plot and --json). A
 * sequential run is shown by its recorded design, as compare judges it (repeated intervals, threshold and metrics
 * of the design): a fixed-n interval of an early-stopped run would understate its error.
 */
interface ArmComparisons {
  readonly index: number;
  readonly file: string;
  readonly thresholdPct: number;
  readonly sequential: boolean;
  readonly comparisons: Comparison[];
}

function armComparisons(files: readonly string[], wholes: readonly ResultsFile[]): ArmComparisons[] {
  const out: ArmComparisons[] = [];
  for (const [index, results] of wholes.entries()) {
    const file = files[index] as string;
    if (!results.config.arms) continue;
    const design = results.config.sequential;
    const comparisons = design
      ? [...analyzeSequential(results, design, { seed: 1 }).comparisons]
      : compareArms(results, { thresholdPct: DEFAULT_THRESHOLD_PCT, metrics: DEFAULT_COMPARE_METRICS, seed: 1 });
    const thresholdPct = design?.thresholdPct ?? DEFAULT_THRESHOLD_PCT;
    if (comparisons.length > 0) out.push({ index, file, thresholdPct, sequential: design !== undefined, comparisons });
  }
  return out;
}

/**
 * A writer for the report's files: what it wrote is removed again when a later file cannot be written (a full disk),
 * so the directory never holds half a report beside an older one's files.
 */
function allOrNothingWriter(): (file: string, data: string | Uint8Array) => Promise<void> {
  const written: string[] = [];
  return async (file: string, data: string | Uint8Array): Promise<void> => {
    try {
      await writeOutput('--out', file, data);
      written.push(file);
    } catch (error) {
      await Promise.all([file, ...written].map((f) => rm(f, { force: true }).catch(() => undefined)));
      if (error instanceof BenchError)
        throw new BenchError(
          error.code,
          `${error.message}; the ${written.length} file(s) this report had written are removed`,
          error.remedy,
          error.exitCode,
          error,
        );
      throw error;
    }
  };
}

/** The charts of the results and of their arms; one with nothing to draw (no cold variant, no timelines) left out. */
function chartsToDraw(inputs: LabelledResults[], files: readonly string[], arms: readonly ArmComparisons[], io: CliIo) {
  const all = [
    ...allCharts(inputs),
    ...arms.map((a) => ({
      name: files.length > 1 ? `arms-${a.index + 1}` : 'arms',
      title: `A/B arms${files.length > 1 ? ` (${path.basename(a.file)})` : ''}`,
      spec: forestChart(a.comparisons, a.thresholdPct, a.sequential),
    })),
  ];
  // A chart with nothing to draw (no cold variant for a speedup, no timelines) is left out, never drawn empty.
  return all.filter((c) => {
    const values = (c.spec as { data?: { values?: unknown[] } }).data?.values;
    const empty = Array.isArray(values) && values.length === 0;
    if (empty) io.err(`report: ${c.name}: left out, the results hold nothing it can draw`);
    return !empty;
  });
}

/** The summary's figures for scripts: per results file (an arm counts as one) what summary.md tabulates. */
function reportJson(
  outDir: string,
  rendered: readonly RenderedChart[],
  inputs: LabelledResults[],
  arms: readonly ArmComparisons[],
) {
  return {
    kind: 'instanton-bench-report',
    outDir,
    charts: rendered.map((c) => c.name),
    inputs: inputs.map(({ label, results, analysis }) => ({
      label,
      groups: analysis.groups,
      warnings: analysis.warnings,
      timeline: waterfalls(results.runs, results.config.seed, results.config.scenarios),
      rampUp: rampGroups(results.runs, results.config.scenarios),
      hygiene: results.checkpoints.map((c) => ({
        scenario: c.scenario,
        ...(c.arm !== undefined ? { arm: c.arm } : {}),
        phase: c.phase,
        ...(c.hygiene ? { hygiene: c.hygiene } : {}),
      })),
      hygieneFindings: hygieneFindings(results),
    })),
    arms: arms.map((a) => ({
      file: a.file,
      thresholdPct: a.thresholdPct,
      correction: 'holm',
      ...(a.sequential ? { figures: 'sequential design: repeated 95% intervals and repeated p-values' } : {}),
      comparisons: a.comparisons,
    })),
  };
}

/** `report`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(
  [
    'report results/blog.json --out reports/blog',
    'report before.json after.json',
    'report results/blog.json --json figures.json',
  ],
  undefined,
);

export function define(command: Command, { io, setCode }: CommandContext): void {
  command
    .addHelpText('after', HELP)
    .argument('<results...>', 'results JSON files; several are shown side by side')
    .option('--out <dir>', 'output directory (default reports/)')
    .addOption(
      jsonOption(
        "the summary's figures per file (medians and intervals, speedups, warnings, timeline, ramp-up, A/B arms)",
      ),
    )
    .action(async (files: string[], opts: { out?: string; json?: string | boolean }) =>
      setCode(await reportCommand(files, opts, io)),
    );
}
