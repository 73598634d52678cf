import type { ResultsFile } from '../results/types.js';
import { storedRunOf, type StoredRun } from './record.js';
import { valuesList, type Sql } from './sql.js';

/** What adding one results file did: added, or found already stored (adding the same run twice adds nothing). */
export type AddOutcome =
  | { readonly added: true; readonly build: string; readonly starts: number; readonly points: number }
  | { readonly added: false; readonly build: string; readonly addedAt: string; readonly overlaps?: string };

const INSERT_CHUNK_ROWS = 500;

async function insertRows(sql: Sql, table: string, columns: readonly string[], rows: readonly unknown[][]) {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK_ROWS) {
    const chunk = rows.slice(i, i + INSERT_CHUNK_ROWS);
    await sql.query(
      `INSERT INTO ${table} (${columns.join(',')}) VALUES ${valuesList(chunk.length, columns.length)}`,
      chunk.flat(),
    );
  }
}

/**
 * A fleet plan's starts are in its shards' files and again in the merged file: a store holding one of them refuses the
 * other (the build's starts would count twice).
 */
async function planOverlap(sql: Sql, run: StoredRun): Promise<AddOutcome | undefined> {
  const plan = run.attributes.plan;
  const part = run.attributes['plan part'];
  if (!plan || !part) return undefined;
  const merged = part === 'merged';
  const [held] = await sql.query<{ source: string | null; added_at: Date | string; build_key: string; part: string }>(
    `SELECT source, added_at, build_key, attributes->>'plan part' AS part FROM runs
     WHERE attributes->>'plan' = $1 AND ${merged ? "attributes->>'plan part' <> 'merged'" : "attributes->>'plan part' = 'merged'"}
     LIMIT 1`,
    [plan],
  );
  if (!held) return undefined;
  return {
    added: false,
    build: held.build_key,
    addedAt: new Date(held.added_at).toISOString(),
    overlaps:
      `the store holds ${merged ? `a shard (${held.part})` : 'the merged file'} of the same plan ${plan} ` +
      `(${held.source ?? 'no file recorded'}): the same starts would count twice`,
  };
}

/** Store one run in one transaction; a run already stored (same digest) is left as it is. */
export async function addStoredRun(
  sql: Sql,
  run: StoredRun,
  source: { readonly file?: string; readonly report?: string },
): Promise<AddOutcome> {
  return sql.transaction(async (tx) => {
    const overlap = await planOverlap(tx, run);
    if (overlap) return overlap;
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO runs (digest, build_key, labels, created_at, source, report, tool_version, state, host, attributes)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (digest) DO NOTHING RETURNING id`,
      [
        run.digest,
        run.buildKey,
        JSON.stringify(run.labels),
        run.createdAt,
        source.file ?? null,
        source.report ?? null,
        run.toolVersion,
        run.state,
        JSON.stringify(run.host),
        JSON.stringify(run.attributes),
      ],
    );
    const id = inserted[0]?.id;
    if (id === undefined) {
      const [held] = await tx.query<{ added_at: Date | string; build_key: string }>(
        'SELECT added_at, build_key FROM runs WHERE digest = $1',
        [run.digest],
      );
      return {
        added: false,
        build: held?.build_key ?? run.buildKey,
        addedAt: new Date(held?.added_at ?? 0).toISOString(),
      };
    }
    await insertStartsAndPoints(tx, id, run);
    return { added: true, build: run.buildKey, starts: run.starts.length, points: run.points.length };
  });
}

/** A stored run's starts and its series' points, under its id. */
async function insertStartsAndPoints(tx: Sql, id: string, run: StoredRun): Promise<void> {
  await insertRows(
    tx,
    'starts',
    [
      'run_id',
      'scenario',
      'variant',
      'arm',
      'host_class',
      'iteration',
      'warmup',
      'status',
      'restore_verified',
      'comparable',
      'launched_at',
      'metrics',
      'segments',
    ],
    run.starts.map((s) => [
      id,
      s.scenario,
      s.variant,
      s.arm,
      s.hostClass,
      s.iteration,
      s.warmup,
      s.status,
      s.restoreVerified,
      s.comparable,
      s.launchedAt,
      JSON.stringify(s.metrics),
      s.segments === null ? null : JSON.stringify(s.segments),
    ]),
  );
  await insertRows(
    tx,
    'points',
    ['run_id', 'scenario', 'variant', 'arm', 'host_class', 'metric', 'vals', 'segments'],
    run.points.map((p) => [
      id,
      p.scenario,
      p.variant,
      p.arm,
      p.hostClass,
      p.metric,
      p.values,
      p.segments === null ? null : JSON.stringify(p.segments),
    ]),
  );
}

export async function addResults(
  sql: Sql,
  results: ResultsFile,
  labels: Readonly<Record<string, string>>,
  source: { readonly file?: string; readonly report?: string },
): Promise<AddOutcome> {
  return addStoredRun(sql, storedRunOf(results, labels), source);
}
