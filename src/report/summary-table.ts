import type { Stat, VariantSummary } from '../stats/summary.js';

const fmt = (s: Stat | undefined, scale = 1, digits = 0): string[] =>
  s ? [s.median, s.min, s.max].map((v) => (v / scale).toFixed(digits)) : ['-', '-', '-'];

/** The short end-of-run table: median, min, max per variant (milliseconds, MiB). */
export function formatSummaryTable(summaries: readonly VariantSummary[]): string {
  const header = ['scenario', 'variant', 'n', 'ready med', 'min', 'max', '1st resp med', 'min', 'max', 'RSS MiB', 'fallback rate', 'failed'];
  const rows = summaries.map((s) => [
    s.scenario,
    s.variant,
    `${s.n}/${s.attempted}`,
    ...fmt(s.readyMs),
    ...fmt(s.firstResponseMs),
    s.rssAfterFirstResponseKb ? (s.rssAfterFirstResponseKb.median / 1024).toFixed(0) : '-',
    s.attempted > 0 ? `${s.fallback}/${s.attempted}` : '-',
    String(s.failed),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n(times in ms from launch; ready = CWWKF0011I timestamp; n = ok runs / runs)';
}
