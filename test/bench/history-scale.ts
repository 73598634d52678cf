/**
 * The results store at scale (a benchmark, not a pass/fail test):
 *
 *   node --import tsx test/bench/history-scale.ts [--store DIR|postgres://...] [--builds 10000] [--iterations 3]
 *
 * Fills a store with BUILDS builds x 3 variants x 20 starts (synthetic values shaped like Pingperf's, a 10% step in
 * cold readyMs at 70% of the builds; filled with SQL, not timed), then times with tinybench what a nightly job does:
 * adding one real run (results/reference/blog-trio.json, each iteration a copy with its own identity), `history
 * trend` (readyMs and firstResponseMs: 6 series of BUILDS builds) and `history report` (the dashboard). Default
 * store: a new embedded one in a temporary directory; give a postgres:// URL for a server (an empty database).
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Bench } from 'tinybench';
import { loadTrend } from '../../src/history/load.js';
import { writeDashboard } from '../../src/history/dashboard-write.js';
import type { CliIo } from '../../src/core/io.js';
import type { ResultsFile } from '../../src/results/types.js';
import { openStore } from '../../src/store/open.js';
import { storeResults } from '../../src/store/store-results.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const BUILDS = Number(flag('--builds') ?? 10_000);
const ITERATIONS = Number(flag('--iterations') ?? 3);
const tmp = await mkdtemp(path.join(os.tmpdir(), 'ib-scale-'));
const url = flag('--store') ?? path.join(tmp, 'store');
const quiet: CliIo = {
  out: () => undefined,
  err: () => undefined,
  cwd: process.cwd(),
  env: process.env,
  interactive: false,
};

const fillStarted = Date.now();
const store = await openStore(url);
await store.sql.exec(`
  INSERT INTO runs (digest, build_key, labels, created_at, source, tool_version, state, host, attributes)
  SELECT 'scale-' || g, 'build=' || g, jsonb_build_object('build', g::text), timestamp '2026-01-01' + g * interval '1 hour',
         '/tmp/scale/build-' || g || '.json', '0.1.0', 'complete', '{"cpuModel":"Bench CPU"}'::jsonb,
         jsonb_build_object('label build', g::text, 'cold state', 'primed')
  FROM generate_series(1, ${BUILDS}) g;
  INSERT INTO starts (run_id, scenario, variant, arm, host_class, iteration, warmup, status, restore_verified, comparable,
                      launched_at, metrics, segments)
  SELECT r.id, 'pingperf', v, '', 'Bench CPU', i, false, 'ok', v <> 'cold', true, r.created_at,
         jsonb_build_object('readyMs', 1000 + random() * 50, 'firstResponseMs', 1200 + random() * 50), NULL
  FROM runs r, unnest(ARRAY['cold', 'beforeAppStart', 'afterAppStart']) v, generate_series(1, 20) i;
  INSERT INTO points (run_id, scenario, variant, arm, host_class, metric, vals, segments)
  SELECT r.id, 'pingperf', v, '', 'Bench CPU', m,
         ARRAY(SELECT (CASE WHEN m = 'readyMs' THEN 1000 ELSE 1200 END) * (1 + 0.03 * random())
                      * (CASE WHEN v = 'cold' AND m = 'readyMs' AND r.id > ${Math.round(BUILDS * 0.7)} THEN 1.1 ELSE 1 END)
               FROM generate_series(1, 20) WHERE r.id IS NOT NULL),
         NULL
  FROM runs r, unnest(ARRAY['cold', 'beforeAppStart', 'afterAppStart']) v,
       unnest(ARRAY['readyMs', 'firstResponseMs', 'readyAfterContainerStartMs', 'rssAfterReadyKb',
                    'rssAfterFirstResponseKb']) m;
`);
const [counts] = await store.sql.query<{ runs: string; starts: string; points: string }>(
  'SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM starts) AS starts, (SELECT count(*) FROM points) AS points',
);
await store.close();
process.stdout.write(
  `${store.describe}: ${counts?.runs} runs, ${counts?.starts} starts, ${counts?.points} series points filled in ` +
    `${((Date.now() - fillStarted) / 1000).toFixed(1)} s\n`,
);

const reference = JSON.parse(await readFile('results/reference/blog-trio.json', 'utf8')) as ResultsFile;
let copy = 0;
let changePoints = 0;
const bench = new Bench({ iterations: ITERATIONS, time: 0, warmupIterations: 0, warmup: false });
bench
  .add('add one run (open, add, close)', async () => {
    copy += 1;
    const results = { ...reference, createdAt: new Date(Date.UTC(2027, 0, 1, 0, copy)).toISOString() };
    await storeResults(
      url,
      [{ results, file: `copy-${copy}.json`, labels: { build: `extra-${copy}` } }],
      () => {},
      'bench',
    );
  })
  .add('trend (readyMs, firstResponseMs: 6 series)', async () => {
    const { trend } = await loadTrend({ store: url, scenario: 'pingperf' }, quiet);
    changePoints = trend.changePoints.length;
  })
  .add('report (dashboard, newest 500 builds drawn)', async () => {
    await writeDashboard({ store: url, scenario: 'pingperf', out: path.join(tmp, 'dashboard') }, quiet);
  });
await bench.run();
for (const task of bench.tasks) {
  const r = task.result as { latency?: { p50?: number; min?: number; max?: number } } | undefined;
  const l = r?.latency;
  process.stdout.write(
    `${task.name.padEnd(46)} median ${((l?.p50 ?? NaN) / 1000).toFixed(2)} s (min ${((l?.min ?? NaN) / 1000).toFixed(2)}, ` +
      `max ${((l?.max ?? NaN) / 1000).toFixed(2)}; ${ITERATIONS} iterations)\n`,
  );
}
process.stdout.write(`change points found: ${changePoints} (one 10% step was put in cold readyMs)\n`);
