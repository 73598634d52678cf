import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BenchError } from '../../../src/core/errors.js';
import { readResults } from '../../../src/results/read.js';
import { parseLabels } from '../../../src/store/labels.js';
import { openStore, redactStoreUrl, sqlOver, type Queryable } from '../../../src/store/open.js';
import { readSeries } from '../../../src/store/read.js';
import { migrateStore, STORE_SCHEMA_VERSION } from '../../../src/store/schema.js';
import { storeResults } from '../../../src/store/store-results.js';

const FIXTURES = [
  'test/fixtures/results/pingperf-3-variants.json',
  'test/fixtures/results/pingperf-with-fallback.json',
];
const tmp = () => mkdtemp(path.join(os.tmpdir(), 'ib-store-'));

describe('the results store (embedded PGlite)', () => {
  it('adds a run once: the same file again adds nothing; two adds at once both land', async () => {
    const dir = path.join(await tmp(), 'store');
    const [a, fallback] = await Promise.all(FIXTURES.map((f) => readResults(f)));
    // The two fixtures were made from one run (the same creation time): the second is dated later, so the build order
    // (by creation) does not depend on which of the two concurrent adds commits first.
    const b = { ...fallback!, createdAt: '2026-11-22T00:00:00.000Z' };
    const lines: string[] = [];
    await Promise.all([
      storeResults(dir, [{ results: a!, file: FIXTURES[0]!, labels: { build: '1' } }], (l) => lines.push(l), 't'),
      storeResults(dir, [{ results: b!, file: FIXTURES[1]!, labels: { build: '2' } }], (l) => lines.push(l), 't'),
    ]);
    const again = await storeResults(
      dir,
      [{ results: a!, file: FIXTURES[0]!, labels: { build: '1' } }],
      (l) => lines.push(l),
      't',
    );
    expect(again[0]).toMatchObject({ added: false, build: 'build=1' });
    expect(lines.at(-1)).toMatch(/already in the embedded store .*nothing added/);
    const store = await openStore(dir);
    try {
      const [{ runs }] = (await store.sql.query<{ runs: string }>('SELECT count(*) AS runs FROM runs')) as [
        { runs: string },
      ];
      expect(Number(runs)).toBe(2);
      const starts = await store.sql.query<{ n: string }>('SELECT count(*) AS n FROM starts');
      expect(Number(starts[0]!.n)).toBe(a!.runs.length + b!.runs.length);
      const series = await readSeries(store.sql, { metrics: ['readyMs'], variant: 'cold' });
      expect(series).toHaveLength(1);
      expect(series[0]!.builds.map((x) => x.labels.build)).toEqual(['1', '2']);
      // Only ok starts count: the fallback file's failed and fallback starts are kept as starts, not as values.
      const ok = b!.runs.filter((r) => !r.warmup && r.variant === 'cold' && r.status === 'ok').length;
      expect(series[0]!.builds[1]!.values).toHaveLength(ok);
    } finally {
      await store.close();
    }
  }, 60_000);

  it("takes a fleet plan's shards or its merged file, not both (the same starts twice)", async () => {
    const dir = path.join(await tmp(), 'fleet');
    const base = await readResults(FIXTURES[0]!);
    const shard = { ...base, config: { ...base.config, shard: { index: 1, count: 2, planId: 'plan-7' } } };
    const merged = {
      ...base,
      createdAt: '2026-11-22T00:00:00.000Z',
      config: { ...base.config, merged: { planId: 'plan-7', shards: [{ index: 1, file: 's1.json', host: 'a' }] } },
    };
    const lines: string[] = [];
    const [first] = await storeResults(dir, [{ results: shard, file: 'shard-1.json' }], (l) => lines.push(l), 't');
    expect(first).toMatchObject({ added: true });
    const [second] = await storeResults(dir, [{ results: merged, file: 'merged.json' }], (l) => lines.push(l), 't');
    expect(second).toMatchObject({ added: false });
    expect(lines.at(-1)).toMatch(
      /merged\.json: not added: the store holds a shard \(shard 1\/2\) of the same plan plan-7/,
    );
  }, 60_000);

  it('migrates an older store and refuses one a newer tool wrote (exit 2)', async () => {
    const dir = path.join(await tmp(), 'old');
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create(dir);
    const sql = sqlOver(db as unknown as Queryable, async (t) => void (await db.exec(t)));
    expect(await migrateStore(sql, dir, 1)).toBe(0);
    await db.close();
    const store = await openStore(dir);
    const version = await store.sql.query<{ value: string }>(
      "SELECT value FROM store_meta WHERE key = 'schema_version'",
    );
    expect(Number(version[0]!.value)).toBe(STORE_SCHEMA_VERSION);
    expect(await store.sql.query('SELECT * FROM confirmations')).toEqual([]);
    await store.sql.query("UPDATE store_meta SET value = '99' WHERE key = 'schema_version'");
    await store.close();
    const refused = await openStore(dir).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BenchError);
    expect((refused as BenchError).exitCode).toBe(2);
    expect((refused as BenchError).message).toMatch(/newer instanton-bench \(schema 99/);
  }, 60_000);

  it('names a bad --store, --label and keeps passwords out of messages', async () => {
    await expect(openStore('mysql://db/x')).rejects.toThrow(/only postgres:\/\//);
    const missing = await openStore(path.join(await tmp(), 'nothing'), { create: false }).catch((e: unknown) => e);
    expect((missing as BenchError).exitCode).toBe(2);
    expect((missing as BenchError).message).toMatch(/no store there/);
    const proc = await openStore('/proc/ib-store').catch((e: unknown) => e);
    expect((proc as BenchError).exitCode).toBe(2);
    expect(() => parseLabels(['build'])).toThrow(/not KEY=VALUE/);
    expect(() => parseLabels(['build=1', 'build=2'])).toThrow(/given twice/);
    expect(parseLabels(['build=7', 'commit=1a2b'])).toEqual({ build: '7', commit: '1a2b' });
    expect(redactStoreUrl('postgres://perf:s3cret@db:5432/bench')).toBe('postgres://perf:***@db:5432/bench');
    const down = await openStore('postgres://perf:s3cret@127.0.0.1:1/bench').catch((e: unknown) => e);
    expect((down as BenchError).exitCode).toBe(3);
    expect((down as BenchError).message).not.toContain('s3cret');
  }, 30_000);
});
