import { UsageError } from '../core/errors.js';
import type { CliIo } from '../core/io.js';
import { storeLocation } from '../store/labels.js';
import { DEFAULT_STORE, openStore } from '../store/open.js';
import { readSeries, type SeriesFilter, type StoredSeries } from '../store/read.js';
import { isReferenced, TREND_METRICS } from '../store/record.js';
import { VARIANTS } from '../scenario/variants.js';
import { DEFAULT_COMPARE_METRICS } from '../stats/compare.js';
import { DEFAULT_CHANGE_POINT_OPTIONS } from '../stats/change-points.js';
import { readConfirmations } from '../store/confirmations.js';
import { trendOf, DEFAULT_TREND_ALPHA, DEFAULT_TREND_THRESHOLD_PCT, type TrendResult } from './trend.js';
import type { StoredConfirmation as Confirmation } from '../store/confirmations.js';

/** The options trend, report and confirm share: the store and the series filters. */
export interface SeriesInput {
  readonly store?: string;
  readonly scenario?: string;
  readonly variant?: string;
  readonly metric?: string;
  readonly host?: string;
  /** --absolute: the raw figures even where a reference arm was measured. */
  readonly absolute?: boolean;
}

export const storeOf = (opts: { store?: unknown }, io: CliIo): string =>
  storeLocation(typeof opts.store === 'string' ? opts.store : DEFAULT_STORE, io.cwd);

export function numberOption(flag: string, text: unknown, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (typeof text !== 'string' || text.trim() === '' || !Number.isFinite(v) || v < min || v > max)
    throw new UsageError(
      `${flag} ${String(text)}: not a number from ${min} to ${max}`,
      `pass e.g. ${flag} ${fallback}`,
    );
  return v;
}

export function seriesFilter(opts: SeriesInput): SeriesFilter {
  const metrics = (opts.metric ?? DEFAULT_COMPARE_METRICS.join(','))
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  const unknown = metrics.filter((m) => !(TREND_METRICS as readonly string[]).includes(m));
  if (metrics.length === 0 || unknown.length > 0)
    throw new UsageError(
      `--metric ${opts.metric}: unknown metric ${unknown.join(', ')}`,
      `pass some of: ${TREND_METRICS.join(', ')}`,
    );
  if (opts.variant !== undefined && !(VARIANTS as readonly string[]).includes(opts.variant))
    throw new UsageError(`--variant ${opts.variant}: unknown variant`, `pass one of: ${VARIANTS.join(', ')}`);
  return {
    metrics,
    ...(opts.scenario !== undefined ? { scenario: opts.scenario } : {}),
    ...(opts.variant !== undefined ? { variant: opts.variant } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
  };
}

/**
 * The series a trend follows: where builds were measured beside a reference arm (run --reference), the paired ratios
 * to it (what moved the host moved both arms and cancels); the absolute figures with --absolute or where there is no
 * reference.
 */
export function pickSeries(all: readonly StoredSeries[], absolute: boolean): StoredSeries[] {
  const referenced = all.filter(isReferenced);
  if (absolute || referenced.length === 0) return all.filter((s) => !isReferenced(s));
  return referenced;
}

/** Read the store's series and find their change points (what trend, report and confirm share). */
export async function loadTrend(
  opts: SeriesInput & { alpha?: unknown; threshold?: unknown },
  io: CliIo,
): Promise<{ trend: TrendResult; store: string; confirmations: Confirmation[] }> {
  const filter = seriesFilter(opts);
  const alpha = numberOption('--alpha', opts.alpha, DEFAULT_TREND_ALPHA, 0.0001, 0.5);
  const thresholdPct = numberOption('--threshold', opts.threshold, DEFAULT_TREND_THRESHOLD_PCT, 0, 1000);
  const store = await openStore(storeOf(opts, io), {
    say: (l) => io.err(`history: ${l}`),
    command: 'history',
    create: false,
  });
  try {
    const series = pickSeries(await readSeries(store.sql, filter), opts.absolute === true);
    if (series.length === 0) {
      const held = await store.sql.query<{ scenario: string; variant: string }>(
        'SELECT DISTINCT scenario, variant FROM points ORDER BY 1, 2',
      );
      throw new UsageError(
        `${store.describe}: no series matches ${[opts.scenario, opts.variant, opts.host].filter(Boolean).join(', ') || 'the filters'}`,
        held.length === 0
          ? 'add runs first: instanton-bench run --store ... --label build=N, or history add FILES'
          : `the store holds ${held.map((h) => `${h.scenario} ${h.variant}`).join(', ')}`,
      );
    }
    const trend = trendOf(series, { alpha, thresholdPct, seed: 1, minSize: DEFAULT_CHANGE_POINT_OPTIONS.minSize });
    return { trend, store: store.describe, confirmations: await readConfirmations(store.sql) };
  } finally {
    await store.close();
  }
}
