import path from 'node:path';
import { EXIT_OK } from '../core/errors.js';
import type { CliIo } from '../core/io.js';
import {
  checkJsonTarget,
  checkOutputDir,
  emitJson,
  textOut,
  writeOutput,
  type JsonOption,
} from '../core/output-paths.js';
import { renderSvg } from '../report/render.js';
import { seriesId } from '../store/read.js';
import { dashboardHtml, seriesSpec } from './dashboard.js';
import { loadTrend, type SeriesInput } from './load.js';
import { parseIntegerOption } from '../run/parse-options.js';

export const DEFAULT_DASHBOARD_DIR = 'reports/history';
export const DEFAULT_DASHBOARD_BUILDS = 500;

const slug = (s: string): string =>
  s
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

/** `history report`: the trend dashboard, index.html with each series' chart (SVG inline, vega-lite spec beside). */
export async function writeDashboard(opts: Record<string, unknown>, io: CliIo): Promise<number> {
  const out = path.resolve(io.cwd, typeof opts.out === 'string' ? opts.out : DEFAULT_DASHBOARD_DIR);
  const last = parseIntegerOption('--last', opts.last as string | undefined, DEFAULT_DASHBOARD_BUILDS, 1, 1_000_000);
  const json = opts.json as JsonOption;
  await checkJsonTarget(json, io.cwd);
  await checkOutputDir('--out', out);
  const say = textOut(json, io);
  const { trend, store, confirmations } = await loadTrend(opts as SeriesInput, io);
  // A report link given as a path is made relative to the dashboard, so the directory can be published as it is.
  const linkOf = (report: string) =>
    /^[a-z][a-z0-9+.-]*:/i.test(report) ? report : path.relative(out, path.resolve(io.cwd, report));
  const charts = [];
  for (const s of trend.series) {
    const spec = seriesSpec(s, last, linkOf);
    const id = `series-${slug(seriesId(s))}`;
    await writeOutput('--out', path.join(out, `${id}.vl.json`), `${JSON.stringify(spec, null, 2)}\n`);
    charts.push({ id, svg: await renderSvg(spec) });
  }
  const html = dashboardHtml(trend, charts, confirmations, {
    store,
    generatedAt: new Date().toISOString(),
    last,
  });
  await writeOutput('--out', path.join(out, 'index.html'), html);
  say(
    `history: dashboard of ${trend.series.length} series, ${trend.changePoints.length} change point(s), ` +
      `${confirmations.length} confirmation(s): ${path.join(out, 'index.html')}`,
  );
  await emitJson(
    json,
    {
      kind: 'instanton-bench/history-report',
      store,
      method: trend.method,
      changePoints: trend.changePoints,
      confirmations,
      series: trend.series,
    },
    io,
  );
  return EXIT_OK;
}
