import path from 'node:path';
import { StoreError, UsageError } from '../core/errors.js';
import { takeLease, LEASE_POLL_MS, type Lease } from '../core/lease.js';
import { checkOutputDir } from '../core/output-paths.js';
import { existsSync } from 'node:fs';
import { isUrl } from './labels.js';
import { migrateStore } from './schema.js';
import type { Sql, StoreHandle } from './sql.js';

/** Where the history commands keep runs when --store is not given: an embedded store (a directory). */
export const DEFAULT_STORE = 'results/history';
/** How long to wait for a PostgreSQL server to answer. */
export const STORE_CONNECT_TIMEOUT_MS = 10_000;
const REMIND_MS = 15_000;

const isServerUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);

/** A server URL without its password (for messages and records). */
export function redactStoreUrl(url: string): string {
  if (!isServerUrl(url)) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

export interface Queryable {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  exec?(text: string): Promise<unknown>;
}

/** The Sql seam over a client that speaks PostgreSQL (PGlite or node-postgres). */
export function sqlOver(client: Queryable, execMany: (text: string) => Promise<void>): Sql {
  const sql: Sql = {
    query: async <T>(text: string, params: readonly unknown[] = []) =>
      (await client.query(text, [...params])).rows as T[],
    exec: execMany,
    transaction: async <T>(fn: (s: Sql) => Promise<T>): Promise<T> => {
      await client.query('BEGIN');
      try {
        const out = await fn(sql);
        await client.query('COMMIT');
        return out;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
  };
  return sql;
}

/**
 * The embedded store: PGlite in a directory. One process at a time may hold it (PGlite is one process's database):
 * `DIR.lock` is a lease; a second writer (another shard adding on this host) waits for it, saying so.
 */
async function openEmbedded(
  dir: string,
  say: (line: string) => void,
  command: string,
  create: boolean,
): Promise<StoreHandle> {
  const absolute = path.resolve(dir);
  if (!create && !existsSync(absolute))
    throw new UsageError(
      `--store ${dir}: no store there`,
      'give the directory run --store or history add wrote, or add runs first (history add FILES --store DIR)',
    );
  await checkOutputDir('--store', absolute);
  let lastSaid = 0;
  const lease: Lease = await takeLease(`${absolute}.lock`, command, {
    pollMs: LEASE_POLL_MS,
    onHeld: (held) => {
      if (Date.now() - lastSaid < REMIND_MS) return;
      say(`waiting for instanton-bench ${held.command} (pid ${held.pid}), which has the store ${dir} open`);
      lastSaid = Date.now();
    },
  });
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create(absolute);
    const sql = sqlOver(db as unknown as Queryable, async (text) => void (await db.exec(text)));
    return {
      sql,
      kind: 'embedded',
      describe: `embedded store ${dir}`,
      close: async () => {
        await db.close();
        await lease.release();
      },
    };
  } catch (error) {
    await lease.release();
    throw new StoreError(
      `${dir}: the embedded store cannot be opened (${(error as Error).message})`,
      'give --store a directory instanton-bench made (or a new one), or a postgres:// URL',
      error,
    );
  }
}

async function openServer(url: string): Promise<StoreHandle> {
  const shown = redactStoreUrl(url);
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: STORE_CONNECT_TIMEOUT_MS });
  client.on('error', () => undefined); // a dropped connection surfaces as the next query's error
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new StoreError(
      `${shown}: the PostgreSQL store cannot be reached (${(error as Error).message})`,
      'check the host, port, user and password in the URL, and that the server accepts connections from this host',
      error,
    );
  }
  const sql = sqlOver(client as unknown as Queryable, async (text) => void (await client.query(text)));
  return { sql, kind: 'postgres', describe: `PostgreSQL store ${shown}`, close: () => client.end() };
}

/** Open (creating or migrating it) the store at `url`: a postgres:// URL, or a directory for the embedded store. */
export async function openStore(
  url: string,
  options: {
    readonly say?: (line: string) => void;
    readonly command?: string;
    /** false: an embedded store must exist already (the commands that only read it). Default true. */
    readonly create?: boolean;
  } = {},
): Promise<StoreHandle> {
  if (url.trim() === '') throw new UsageError('--store: empty', 'give a directory or a postgres://USER@HOST/DB URL');
  if (isUrl(url) && !isServerUrl(url))
    throw new UsageError(
      `--store ${url}: only postgres:// (or postgresql://) URLs and directories are stores`,
      'give a directory for the embedded store, or a postgres://USER:PASSWORD@HOST:PORT/DB URL',
    );
  const handle = isServerUrl(url)
    ? await openServer(url)
    : await openEmbedded(url, options.say ?? (() => undefined), options.command ?? 'history', options.create ?? true);
  try {
    await migrateStore(handle.sql, handle.describe);
    return handle;
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}
