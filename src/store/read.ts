import type { Sql } from './sql.js';

/** One build of a series: its runs' values of the metric (shards of one build together), in build order. */
export interface SeriesBuild {
  readonly key: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly firstAt: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** The host speed index of the build's (first) run, when it was probed. */
  readonly hostSpeedIndex?: number;
  readonly values: number[];
  readonly segments: ReadonlyArray<Readonly<Record<string, number>>>;
  readonly reports: string[];
  readonly sources: string[];
}

export interface SeriesKey {
  readonly scenario: string;
  readonly variant: string;
  readonly arm: string;
  readonly hostClass: string;
  readonly metric: string;
}

export interface StoredSeries extends SeriesKey {
  readonly builds: SeriesBuild[];
}

export interface SeriesFilter {
  readonly metrics: readonly string[];
  readonly scenario?: string;
  readonly variant?: string;
  /** A substring of the host class (the CPU model). */
  readonly host?: string;
}

interface RunRow {
  id: string;
  build_key: string;
  labels: Record<string, string>;
  created_at: Date | string;
  attributes: Record<string, string>;
  host: Record<string, string | number> | null;
  report: string | null;
  source: string | null;
}

interface PointRow {
  run_id: string;
  scenario: string;
  variant: string;
  arm: string;
  host_class: string;
  metric: string;
  vals: number[];
  segments: Record<string, number> | null;
}

export const seriesId = (k: SeriesKey): string =>
  [k.scenario, k.variant, ...(k.arm ? [k.arm] : []), k.metric, k.hostClass].join(' · ');

/** Every series the filter selects, builds ordered by their first run's creation (then by when they were added). */
export async function readSeries(sql: Sql, filter: SeriesFilter): Promise<StoredSeries[]> {
  const runs = await sql.query<RunRow>(
    'SELECT id, build_key, labels, created_at, attributes, host, report, source FROM runs ORDER BY created_at, id',
  );
  const params: unknown[] = [filter.metrics];
  const where = ['metric = ANY($1)'];
  if (filter.scenario !== undefined) where.push(`scenario = $${params.push(filter.scenario)}`);
  if (filter.variant !== undefined) where.push(`variant = $${params.push(filter.variant)}`);
  if (filter.host !== undefined) where.push(`strpos(lower(host_class), lower($${params.push(filter.host)})) > 0`);
  const points = await sql.query<PointRow>(
    `SELECT run_id, scenario, variant, arm, host_class, metric, vals, segments FROM points WHERE ${where.join(' AND ')}`,
    params,
  );
  const runById = new Map(runs.map((r, order) => [String(r.id), { row: r, order }]));
  const series = new Map<string, { key: SeriesKey; builds: Map<string, SeriesBuild & { order: number }> }>();
  for (const p of points) {
    const run = runById.get(String(p.run_id));
    if (!run) continue;
    const key: SeriesKey = {
      scenario: p.scenario,
      variant: p.variant,
      arm: p.arm,
      hostClass: p.host_class,
      metric: p.metric,
    };
    const id = seriesId(key);
    const s = series.get(id) ?? { key, builds: new Map() };
    series.set(id, s);
    const b = s.builds.get(run.row.build_key) ?? {
      key: run.row.build_key,
      labels: run.row.labels,
      firstAt: new Date(run.row.created_at).toISOString(),
      attributes: run.row.attributes,
      ...(typeof run.row.host?.hostSpeedIndex === 'number' ? { hostSpeedIndex: run.row.host.hostSpeedIndex } : {}),
      values: [],
      segments: [],
      reports: [],
      sources: [],
      order: run.order,
    };
    s.builds.set(run.row.build_key, b);
    b.values.push(...p.vals.map(Number));
    if (p.segments) (b.segments as Array<Record<string, number>>).push(p.segments);
    if (run.row.report) b.reports.push(run.row.report);
    if (run.row.source) b.sources.push(run.row.source);
  }
  return [...series.values()]
    .map(({ key, builds }) => ({
      ...key,
      builds: [...builds.values()].sort((a, b) => a.order - b.order).map(({ order: _o, ...b }) => b),
    }))
    .sort((a, b) => seriesId(a).localeCompare(seriesId(b)));
}
