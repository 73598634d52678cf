/* global console */
import { PGlite } from '@electric-sql/pglite';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Why the embedded store is PGlite (docs/history.md): 30,000 series points of 20 values, drawn from a seeded
// generator (the same data every run).
//   taskset -c 0 node test/bench/store-candidates.mjs > results/reference/store-candidates.txt
// DuckDB, the other candidate, is not a dependency of the project: it is measured beside PGlite only where it was
// installed by hand (npm install --no-save @duckdb/node-api@1.5.6-r.1), and skipped, saying so, otherwise.
let state = 20261207;
/** mulberry32: a small seeded PRNG in [0, 1). */
function random() {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-store-candidates-'));
const N = 10000,
  V = 3,
  S = 20;
async function pgl() {
  fs.rmSync(path.join(dir, 'pg'), { recursive: true, force: true });
  let t = Date.now();
  let db = await PGlite.create(path.join(dir, 'pg'));
  console.log('pglite create', Date.now() - t);
  await db.exec('create table pts(build int, variant text, n int, median float8, vals float8[])');
  t = Date.now();
  for (let b = 0; b < N; b += 100) {
    const vals = [];
    const params = [];
    for (let bb = b; bb < b + 100; bb++)
      for (let v = 0; v < V; v++) {
        params.push(
          bb,
          'v' + v,
          S,
          100 + random(),
          Array.from({ length: S }, () => random()),
        );
        vals.push(
          `($${params.length - 4},$${params.length - 3},$${params.length - 2},$${params.length - 1},$${params.length})`,
        );
      }
    await db.query('insert into pts values ' + vals.join(','), params);
  }
  console.log('pglite insert 30k points x20', Date.now() - t);
  await db.close();
  t = Date.now();
  db = await PGlite.create(path.join(dir, 'pg'));
  console.log('pglite reopen', Date.now() - t);
  t = Date.now();
  const r = await db.query('select build, variant, median, vals from pts order by variant, build');
  console.log('pglite read', r.rows.length, Date.now() - t);
  t = Date.now();
  await db.query('insert into pts values ($1,$2,$3,$4,$5)', [1, 'x', 20, 1, [1, 2]]);
  console.log('pglite one insert', Date.now() - t);
  await db.close();
  console.log(
    'pglite size MB',
    (
      fs
        .readdirSync(path.join(dir, 'pg'), { recursive: true })
        .map((f) => {
          try {
            return fs.statSync(path.join(dir, 'pg', f)).size;
          } catch {
            return 0;
          }
        })
        .reduce((a, b) => a + b, 0) / 1e6
    ).toFixed(1),
  );
}
async function duck() {
  let DuckDBInstance;
  try {
    ({ DuckDBInstance } = await import('@duckdb/node-api'));
  } catch {
    console.log('duck skipped: @duckdb/node-api is not installed (not a dependency of the project)');
    return;
  }
  state = 20261207;
  fs.rmSync(path.join(dir, 'd.duckdb'), { force: true });
  let t = Date.now();
  let inst = await DuckDBInstance.create(path.join(dir, 'd.duckdb'));
  let c = await inst.connect();
  console.log('duck create', Date.now() - t);
  await c.run('create table pts(build int, variant text, n int, median double, vals double[])');
  t = Date.now();
  for (let b = 0; b < N; b += 100) {
    const rows = [];
    for (let bb = b; bb < b + 100; bb++)
      for (let v = 0; v < V; v++)
        rows.push(`(${bb},'v${v}',${S},${100 + random()},[${Array.from({ length: S }, () => random()).join(',')}])`);
    await c.run('insert into pts values ' + rows.join(','));
  }
  console.log('duck insert', Date.now() - t);
  c.closeSync();
  inst.closeSync();
  t = Date.now();
  inst = await DuckDBInstance.create(path.join(dir, 'd.duckdb'));
  c = await inst.connect();
  console.log('duck reopen', Date.now() - t);
  t = Date.now();
  const r = await c.runAndReadAll('select build, variant, median, vals from pts order by variant, build');
  console.log('duck read', r.getRowObjects().length, Date.now() - t);
  c.closeSync();
  inst.closeSync();
  console.log('duck size MB', (fs.statSync(path.join(dir, 'd.duckdb')).size / 1e6).toFixed(1));
}
await pgl();
await duck();
