import type { Description } from '../stats/describe.js';
import type { GroupAnalysis } from '../stats/analyze.js';

const fmt = (d: Description | undefined, scale = 1, digits = 0): string[] =>
  d ? [d.median, d.min, d.max].map((v) => (v / scale).toFixed(digits)) : ['-', '-', '-'];

/** The short end-of-run table: median, min, max per variant (milliseconds, MiB), from the analysis. */
export function formatSummaryTable(groups: readonly GroupAnalysis[], readyName = 'CWWKF0011I'): string {
  const header = [
    'scenario',
    'variant',
    'n',
    'ready med',
    'min',
    'max',
    '1st resp med',
    'min',
    'max',
    'RSS MiB',
    'fallback rate',
    'failed',
  ];
  const rows = groups.map((g) => [
    g.scenario,
    g.variant,
    `${g.ok}/${g.attempted}`,
    ...fmt(g.metrics.readyMs),
    ...fmt(g.metrics.firstResponseMs),
    g.metrics.rssAfterFirstResponseKb ? (g.metrics.rssAfterFirstResponseKb.median / 1024).toFixed(0) : '-',
    g.attempted > 0 ? `${g.fallback}/${g.attempted}` : '-',
    String(g.failed),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return (
    [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') +
    `\n(times in ms from launch; ready = ${readyName} timestamp; n = ok runs / runs)`
  );
}
