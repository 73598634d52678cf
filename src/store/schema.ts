import { StoreError, UsageError } from '../core/errors.js';
import type { Sql } from './sql.js';

/**
 * The store's schema, as migrations: version N is reached by applying steps 1..N in order, each in the transaction
 * that records it. A store at an older version is migrated when opened; one written by a newer tool is refused.
 */
const MIGRATIONS: readonly string[] = [
  // 1: runs (one results file each), every start, and per run and series the values the trend reads.
  `CREATE TABLE runs (
     id bigserial PRIMARY KEY,
     digest text NOT NULL UNIQUE,
     build_key text NOT NULL,
     labels jsonb NOT NULL,
     created_at timestamptz NOT NULL,
     added_at timestamptz NOT NULL DEFAULT now(),
     source text,
     report text,
     tool_version text NOT NULL,
     state text NOT NULL,
     host jsonb NOT NULL,
     attributes jsonb NOT NULL
   );
   CREATE TABLE starts (
     run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
     scenario text NOT NULL,
     variant text NOT NULL,
     arm text NOT NULL,
     host_class text NOT NULL,
     iteration integer NOT NULL,
     warmup boolean NOT NULL,
     status text NOT NULL,
     restore_verified boolean,
     comparable boolean NOT NULL,
     launched_at timestamptz,
     metrics jsonb NOT NULL,
     segments jsonb
   );
   CREATE TABLE points (
     run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
     scenario text NOT NULL,
     variant text NOT NULL,
     arm text NOT NULL,
     host_class text NOT NULL,
     metric text NOT NULL,
     vals double precision[] NOT NULL,
     segments jsonb
   );
   CREATE INDEX points_by_metric ON points (metric, scenario, variant);
   CREATE INDEX runs_by_build ON runs (build_key);`,
  // 2: what history confirm found for a change point.
  `CREATE TABLE confirmations (
     id bigserial PRIMARY KEY,
     scenario text NOT NULL,
     variant text NOT NULL,
     arm text NOT NULL,
     host_class text NOT NULL,
     metric text NOT NULL,
     before_build text NOT NULL,
     after_build text NOT NULL,
     verdict text NOT NULL,
     detail jsonb NOT NULL,
     results text,
     created_at timestamptz NOT NULL DEFAULT now()
   );`,
];

export const STORE_SCHEMA_VERSION = MIGRATIONS.length;

async function storedVersion(sql: Sql): Promise<number> {
  await sql.exec('CREATE TABLE IF NOT EXISTS store_meta (key text PRIMARY KEY, value text NOT NULL)');
  const rows = await sql.query<{ value: string }>("SELECT value FROM store_meta WHERE key = 'schema_version'");
  return rows[0] ? Number(rows[0].value) : 0;
}

/**
 * Bring the store to this tool's schema (`upTo`: tests stop early to make an older store). Returns the version it
 * was found at. Each step runs under an advisory lock on PostgreSQL servers so two shards opening a new store at once
 * do not both create it.
 */
export async function migrateStore(sql: Sql, where: string, upTo = STORE_SCHEMA_VERSION): Promise<number> {
  return sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(472011)');
    const found = await storedVersion(tx);
    if (!Number.isInteger(found) || found < 0)
      throw new StoreError(`${where}: store_meta.schema_version is "${found}"`, 'this is not an instanton-bench store');
    if (found > STORE_SCHEMA_VERSION)
      throw new UsageError(
        `${where}: the store was written by a newer instanton-bench (schema ${found}; this one reads up to ` +
          `${STORE_SCHEMA_VERSION})`,
        'use that newer instanton-bench, or another --store',
      );
    for (let v = found + 1; v <= upTo; v += 1) await tx.exec(MIGRATIONS[v - 1] as string);
    if (upTo > found)
      await tx.query(
        `INSERT INTO store_meta (key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
        [String(upTo)],
      );
    return found;
  });
}
