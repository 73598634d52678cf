import type { TopLevelSpec } from 'vega-lite';
import { CONFIG, VEGA_LITE_SCHEMA } from '../report/chart-style.js';
import { escapeHtml } from '../core/neutralise.js';
import { htmlPageStart } from '../export/html.js';
import { seriesId } from '../store/read.js';
import type { TrendResult, TrendSeries } from './trend.js';
import { changeLine, formatValue, sizeText } from './trend-text.js';
import { isReferenced } from '../store/record.js';
import { HOST_BAND_RATIO } from '../hostspeed/index.js';

/**
 * The trend dashboard (pure): per series a vega-lite chart of the median per build with its interval, a rule at each
 * change point with its size, each point's build labels on hover (the SVG's own <title>) and a link to that run's
 * report; the change points and confirmations as tables.
 */
import type { StoredConfirmation as Confirmation } from '../store/confirmations.js';

const labelsText = (labels: Readonly<Record<string, string>>): string =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ') || '(no labels)';

export function seriesSpec(s: TrendSeries, last: number, linkOf: (report: string) => string): TopLevelSpec {
  const offset = Math.max(0, s.builds.length - last);
  const ratio = isReferenced(s);
  const unit = s.metric.endsWith('Kb') && !ratio ? 1024 : 1;
  const shown = (v: number): string => (ratio ? `${v.toFixed(3)}x` : formatValue(s.metric, v));
  const points = s.builds.slice(offset).map((b, i) => ({
    n: offset + i + 1,
    build: b.name,
    labels: labelsText(b.labels),
    median: b.median / unit,
    low: b.interval.low / unit,
    high: b.interval.high / unit,
    interval: `${shown(b.interval.low)} to ${shown(b.interval.high)} (${Math.round(b.interval.coverage * 100)}%)`,
    starts: b.starts,
    ...(b.hostOffBand ? { host: `speed index ${b.hostSpeedIndex}: off the series' band` } : {}),
    ...((b.reports[0] ?? b.sources[0]) ? { href: linkOf((b.reports[0] ?? b.sources[0]) as string) } : {}),
  }));
  const changes = s.changePoints
    .filter((c) => c.index >= offset)
    .map((c) => ({ x: c.index + 0.5, size: sizeText(c).replace(/ \(95%.*$/, ''), build: c.build }));
  const yTitle = ratio
    ? `${s.metric.replace(/Kb$/, '')}, ratio to the reference arm (paired by round), median per build`
    : `${s.metric.replace(/Kb$/, '')} (${unit === 1 ? 'ms' : 'MiB'}), median per build`;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: seriesId(s), subtitle: `${s.builds.length} builds, ${s.changePoints.length} change point(s)` },
    width: 760,
    height: 240,
    config: CONFIG,
    layer: [
      {
        data: { values: points },
        mark: { type: 'rule', color: '#9ecae1' },
        encoding: {
          x: { field: 'n', type: 'quantitative', title: 'build (in the order measured)', axis: { tickMinStep: 1 } },
          y: { field: 'low', type: 'quantitative', title: yTitle, scale: { zero: false } },
          y2: { field: 'high' },
        },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 40, color: '#1f77b4', cursor: 'pointer' },
        encoding: {
          x: { field: 'n', type: 'quantitative' },
          y: { field: 'median', type: 'quantitative' },
          href: { field: 'href' },
          tooltip: [
            { field: 'build', title: 'build' },
            { field: 'labels', title: 'labels' },
            { field: 'median', title: 'median', format: '.1f' },
            { field: 'interval', title: 'interval' },
            { field: 'starts', title: 'starts' },
          ],
        },
      },
      // Builds measured on a host off the series' band (its speed index): ringed, their figures moved with the host.
      ...(points.some((p) => 'host' in p)
        ? [
            {
              data: { values: points.filter((p) => 'host' in p) },
              mark: { type: 'point' as const, filled: false, size: 160, color: '#ff7f0e', strokeWidth: 2 },
              encoding: {
                x: { field: 'n', type: 'quantitative' as const },
                y: { field: 'median', type: 'quantitative' as const },
                tooltip: [
                  { field: 'build', title: 'build' },
                  { field: 'host', title: 'host' },
                ],
              },
            },
          ]
        : []),
      ...(changes.length === 0
        ? []
        : [
            {
              data: { values: changes },
              mark: { type: 'rule' as const, color: '#d62728', strokeDash: [4, 3], strokeWidth: 2 },
              encoding: {
                x: { field: 'x', type: 'quantitative' as const },
                tooltip: [
                  { field: 'build', title: 'change from build' },
                  { field: 'size', title: 'size' },
                ],
              },
            },
            {
              data: { values: changes },
              mark: { type: 'text' as const, color: '#d62728', align: 'left' as const, dx: 4, y: 8, fontSize: 11 },
              encoding: { x: { field: 'x', type: 'quantitative' as const }, text: { field: 'size' } },
            },
          ]),
    ],
  } as TopLevelSpec;
}

function changeTable(trend: TrendResult): string {
  if (trend.changePoints.length === 0) return '<p>No change point in any series.</p>';
  const rows = trend.changePoints
    .map((c, i) => `<tr><td>${i + 1}</td><td>${escapeHtml(seriesId(c))}</td><td>${escapeHtml(changeLine(c))}</td></tr>`)
    .join('');
  return `<table class="changes"><thead><tr><th>#</th><th>series</th><th>change</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function confirmationTable(confirmations: readonly Confirmation[]): string {
  if (confirmations.length === 0)
    return '<p>No change point confirmed yet (instanton-bench history confirm runs both builds as paired arms).</p>';
  const rows = confirmations
    .map(
      (c) =>
        `<tr><td>${escapeHtml(seriesId(c))}</td><td>${escapeHtml(c.beforeBuild)} → ${escapeHtml(c.afterBuild)}</td>` +
        `<td class="verdict">${escapeHtml(c.verdict)}</td><td>${escapeHtml(String(c.detail.summary ?? ''))}</td>` +
        `<td>${escapeHtml(c.results ?? '')}</td><td>${escapeHtml(c.createdAt)}</td></tr>`,
    )
    .join('');
  return (
    '<table class="confirmations"><thead><tr><th>series</th><th>builds</th><th>verdict</th><th>paired run</th>' +
    `<th>results</th><th>when</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

/** Vega's SVG carries each mark's tooltip as aria-label: a <title> child makes the browser show it on hover. */
const HOVER_SCRIPT = `document.querySelectorAll('figure svg [aria-label]').forEach(function (e) {
  if (e.getAttribute('aria-roledescription') === 'point' || e.getAttribute('aria-roledescription') === 'rule') {
    var t = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    t.textContent = e.getAttribute('aria-label');
    e.appendChild(t);
  }
});`;

export function dashboardHtml(
  trend: TrendResult,
  charts: ReadonlyArray<{ readonly id: string; readonly svg: string }>,
  confirmations: readonly Confirmation[],
  meta: { readonly store: string; readonly generatedAt: string; readonly last: number },
): string {
  return `${htmlPageStart('instanton-bench history')}
td,th{border:1px solid #ccc;padding:.25rem .5rem;font-size:.9rem;text-align:left}
th{background:#f4f4f4}figure{margin:1rem 0}figure svg{max-width:100%;height:auto}
footer{color:#777;font-size:.8rem;margin-top:2rem}
</style></head><body>
<h1>Startup over builds</h1>
<p>From the ${escapeHtml(meta.store)}, generated ${escapeHtml(meta.generatedAt)}. Each point is a build's median
(the bar: its interval from order statistics, with its coverage); a dashed red rule is a change point, labelled with
its size. Where builds were measured beside a reference arm, a point is the build's median ratio to it (paired by
round; what moved the host moved both arms). An orange ring marks a build whose host speed index lies off its
series' band (beyond ${HOST_BAND_RATIO}x of the series' median): its figures moved with the host. Change points: E-divisive on the builds' medians (their values), a
permutation test with up to
${trend.method.permutations} permutations, the family-wise error held at ${trend.method.alpha} across the
${trend.series.length} series (Holm). Charts show the newest ${meta.last} builds of a series.</p>
<h2>Change points</h2>
${changeTable(trend)}
<h2>Confirmations</h2>
${confirmationTable(confirmations)}
<h2>Series</h2>
${charts.map((c) => `<figure id="${escapeHtml(c.id)}" class="chart">${c.svg}</figure>`).join('\n')}
<footer>Hover a point for its build's labels; click it for that run's report.</footer>
<script>${HOVER_SCRIPT}</script>
</body></html>
`;
}
