import path from 'node:path';
import { allCharts, type LabelledResults, type NamedChart } from '../../report/charts.js';
import { forestChart } from '../../report/forest-chart.js';
import { compareArms } from '../../stats/compare-arms.js';
import { DEFAULT_COMPARE_METRICS, DEFAULT_THRESHOLD_PCT } from '../../stats/compare.js';
import { reportHtml, type RenderedChart } from '../../report/html.js';
import { summaryMarkdown } from '../../report/markdown.js';
import { FONT_METRICS_INSTALLED, renderPng, renderSvg } from '../../report/render.js';
import { readResults } from '../../results/read.js';
import { splitByArm } from '../../results/split-arms.js';
import { toCsv } from '../../results/write.js';
import { analyze } from '../../stats/analyze.js';
import { UsageError } from '../../core/errors.js';
import type { CliIo } from '../../core/io.js';
import { checkOutputDir, writeOutput } from '../../core/output-paths.js';

const writeFile = (file: string, data: string | Uint8Array): Promise<void> => writeOutput('--out', file, data);

/** Label results files for charts: the file name, made unique. */
export function labelsFor(files: readonly string[]): string[] {
  const base = files.map((f) => path.basename(f).replace(/\.json$/i, ''));
  return base.map((b, i) => (base.indexOf(b) === i && base.lastIndexOf(b) === i ? b : `${b} (${i + 1})`));
}

export async function loadLabelled(files: readonly string[], cwd: string): Promise<LabelledResults[]> {
  if (files.length === 0)
    throw new UsageError(
      'no results file given',
      'pass one or more results JSON files, e.g. instanton-bench report results/run-*.json',
    );
  const labels = labelsFor(files);
  const out: LabelledResults[] = [];
  for (const [i, file] of files.entries()) {
    const whole = await readResults(path.resolve(cwd, file));
    // A file with A/B arms shows each arm side by side, like separate files.
    for (const { arm, results } of splitByArm(whole)) {
      const label = arm === undefined ? (labels[i] as string) : files.length > 1 ? `${labels[i]} ${arm}` : arm;
      out.push({ label, results, analysis: analyze(results, label) });
    }
  }
  return out;
}

export async function reportCommand(files: readonly string[], opts: { out?: string }, io: CliIo): Promise<number> {
  const outDir = path.resolve(io.cwd, opts.out ?? 'reports');
  const inputs = await loadLabelled(files, io.cwd);
  if (inputs.every((x) => !x.results.runs.some((r) => !r.warmup)))
    throw new UsageError(
      `${files.join(', ')}: no measured start to report (the run stopped before its first measured start?)`,
      'finish the run (instanton-bench run --resume FILE) or pass a results file that holds starts',
    );
  await checkOutputDir('--out', outDir);
  const rendered: RenderedChart[] = [];
  if (!FONT_METRICS_INSTALLED)
    io.err(
      'report: warning: DejaVu Sans is not installed (Debian: fonts-dejavu-core), so chart text is laid out from ' +
        'estimated widths and the charts get wide margins',
    );
  const all = [...allCharts(inputs), ...(await armCharts(files, io.cwd))];
  // A chart with nothing to draw (no cold variant for a speedup, no timelines) is left out, never drawn empty.
  const charts = all.filter((c) => {
    const values = (c.spec as { data?: { values?: unknown[] } }).data?.values;
    const empty = Array.isArray(values) && values.length === 0;
    if (empty) io.err(`report: ${c.name}: left out, the results hold nothing it can draw`);
    return !empty;
  });
  for (const chart of charts) {
    io.err(`report: rendering ${chart.name}`);
    const svg = await renderSvg(chart.spec);
    await writeFile(path.join(outDir, `${chart.name}.vl.json`), `${JSON.stringify(chart.spec, null, 2)}\n`);
    await writeFile(path.join(outDir, `${chart.name}.svg`), svg);
    await writeFile(path.join(outDir, `${chart.name}.png`), renderPng(svg));
    rendered.push({ name: chart.name, title: chart.title, svg });
  }
  await writeFile(path.join(outDir, 'summary.md'), summaryMarkdown(inputs));
  const runs = inputs.flatMap((i) => i.results.runs);
  await writeFile(path.join(outDir, 'runs.csv'), toCsv(runs));
  await writeFile(path.join(outDir, 'index.html'), reportHtml(inputs, rendered, new Date().toISOString()));
  io.out(`report: ${path.join(outDir, 'index.html')}`);
  io.out(`        ${rendered.length} charts (.svg, .png, .vl.json), summary.md, runs.csv in ${outDir}`);
  return 0;
}

/** A forest plot per results file with A/B arms: each arm against the baseline arm, paired. */
async function armCharts(files: readonly string[], cwd: string): Promise<NamedChart[]> {
  const out: NamedChart[] = [];
  for (const [i, file] of files.entries()) {
    const results = await readResults(path.resolve(cwd, file));
    if (!results.config.arms) continue;
    const rows = compareArms(results, {
      thresholdPct: DEFAULT_THRESHOLD_PCT,
      metrics: DEFAULT_COMPARE_METRICS,
      seed: 1,
    });
    if (rows.length === 0) continue;
    out.push({
      name: files.length > 1 ? `arms-${i + 1}` : 'arms',
      title: `A/B arms${files.length > 1 ? ` (${path.basename(file)})` : ''}`,
      spec: forestChart(rows, DEFAULT_THRESHOLD_PCT),
    });
  }
  return out;
}
