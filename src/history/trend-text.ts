import { seriesId } from '../store/read.js';
import { isReferenced } from '../store/record.js';
import { HOST_BAND_RATIO } from '../hostspeed/index.js';
import type { TrendChange, TrendResult } from './trend.js';

const isBytes = (metric: string): boolean => metric.endsWith('Kb');

export function formatValue(metric: string, v: number): string {
  if (isBytes(metric)) return `${(v / 1024).toFixed(1)} MiB`;
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`;
}

/** "2.14x slower (95% interval 1.90-2.41x)" or "12% faster (95% interval 8-15%)". */
export function sizeText(c: Pick<TrendChange, 'ratio' | 'interval'>): string {
  if (c.ratio >= 1.5 || c.ratio <= 1 / 1.5)
    return c.ratio >= 1
      ? `${c.ratio.toFixed(2)}x slower (95% interval ${c.interval.low.toFixed(2)}-${c.interval.high.toFixed(2)}x)`
      : `${(1 / c.ratio).toFixed(2)}x faster (95% interval ${(1 / c.interval.high).toFixed(2)}-` +
          `${(1 / c.interval.low).toFixed(2)}x)`;
  const pct = (r: number) => Math.abs((r - 1) * 100).toFixed(1);
  const [lo, hi] = c.ratio >= 1 ? [c.interval.low, c.interval.high] : [c.interval.high, c.interval.low];
  return `${pct(c.ratio)}% ${c.ratio >= 1 ? 'slower' : 'faster'} (95% interval ${c.ratio >= 1 === lo >= 1 ? '' : '-'}${pct(lo)} to ${pct(hi)}%)`;
}

/** A build's figure: a time or a size, or a ratio to the reference arm in a referenced series. */
function figure(c: Pick<TrendChange, 'metric' | 'hostClass'>, v: number): string {
  return isReferenced(c) ? `${v.toFixed(3)}x the reference` : formatValue(c.metric, v);
}

export function changeLine(c: TrendChange): string {
  const segment = c.segment
    ? `; moved most: ${c.segment.name} ${formatValue('ms', c.segment.beforeMs)} -> ${formatValue('ms', c.segment.afterMs)}`
    : '';
  const coincides = c.coincides.length > 0 ? `; coincides: ${c.coincides.join('; ')}` : '';
  return (
    `from build ${c.build} (after ${c.previousBuild}): ${sizeText(c)}, ${figure(c, c.beforeMedian)} -> ` +
    `${figure(c, c.afterMedian)} over ${c.buildsBefore} and ${c.buildsAfter} builds, p ${c.pValue.toFixed(4)}` +
    `${segment}${coincides}`
  );
}

export function trendLines(trend: TrendResult): string[] {
  const out: string[] = [];
  trend.changePoints.forEach((c, i) => out.push(`${i + 1}. ${seriesId(c)}: ${changeLine(c)}`));
  const quiet = trend.series.filter((s) => s.changePoints.length === 0);
  const fewest = 2 * trend.method.minBuildsPerSide;
  for (const s of quiet.filter((q) => q.builds.length < fewest))
    out.push(`${seriesId(s)}: ${s.builds.length} build(s): too few to look for a change point (at least ${fewest})`);
  for (const s of trend.series) {
    const off = s.builds.filter((b) => b.hostOffBand);
    if (off.length === 0) continue;
    out.push(
      `${seriesId(s)}: measured on a host off the series' band (host speed index beyond ${HOST_BAND_RATIO}x of ` +
        `its median ${s.hostSpeedMedian}): build${off.length > 1 ? 's' : ''} ` +
        `${off.map((b) => `${b.name} (index ${b.hostSpeedIndex})`).join(', ')}; their figures move with the host ` +
        '(measure beside a reference arm: run --reference)',
    );
  }
  for (const s of quiet.filter((q) => q.builds.length >= fewest))
    out.push(
      `${seriesId(s)}: ${s.builds.length} builds, no change point (first split p ${s.firstSplitP.toFixed(3)}, ` +
        `Holm-adjusted ${s.adjustedP.toFixed(3)})`,
    );
  return out;
}

export function gateLine(c: TrendChange, thresholdPct: number): string {
  return (
    `history: REGRESSION ${seriesId(c)}: the newest ${c.buildsAfter} build(s) from ${c.build} are ${sizeText(c)} ` +
    `than the ${c.buildsBefore} before (threshold ${thresholdPct}%, p ${c.pValue.toFixed(4)})`
  );
}
