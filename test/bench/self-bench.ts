/**
 * Self-benchmarks of instanton-bench's hot paths (npm run bench:self), with tinybench:
 * log-line parsing, readiness detection lag through a real pipe, statistics, comparison and
 * capacity planning over 10,000 runs, and chart rendering. Figures go to stdout as a table; they are not pass/fail.
 * `--json FILE` also writes them (each task's median and mean latency, the detection lag's quantiles) with the machine
 * they were measured on: docs/measured.md's table is that file's, checked by the docs test.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { Bench } from 'tinybench';
import { parseLogLine } from '../../src/core/liberty-log.js';
import { nowMs } from '../../src/core/clock.js';
import { allCharts } from '../../src/report/charts.js';
import { renderSvg } from '../../src/report/render.js';
import type { ResultsFile, RunRecord } from '../../src/results/types.js';
import { analyze } from '../../src/stats/analyze.js';
import { compareResults } from '../../src/stats/compare.js';
import { planVariant } from '../../src/plan/capacity.js';
import { benchArgs, benchMachine } from './bench-input.js';

const FIXTURE = path.resolve('test/fixtures/results/pingperf-3-variants.json');
const READY =
  '[2026-11-21T23:31:06.434+0000] 00000022 com.ibm.ws.kernel.feature.internal.FeatureManager            A CWWKF0011I: The defaultServer server is ready to run a smarter planet. The defaultServer server started in 6.096 seconds.';

function bigResults(n: number): ResultsFile {
  const base = JSON.parse(readFileSync(FIXTURE, 'utf8')) as ResultsFile;
  const template = base.runs.find((r) => !r.warmup) as RunRecord;
  const variants = ['cold', 'beforeAppStart', 'afterAppStart'] as const;
  const runs: RunRecord[] = Array.from({ length: n }, (_, i) => ({
    ...template,
    variant: variants[i % 3] as (typeof variants)[number],
    iteration: Math.floor(i / 3) + 1,
    metrics: {
      readyMs: 500 + ((i * 7919) % 7000),
      firstResponseMs: 900 + ((i * 104729) % 8000),
      rssAfterFirstResponseKb: 200_000 + (i % 60_000),
    },
  }));
  return { ...base, runs };
}

/** Detection lag: a child prints a line carrying its write time; we note when our line reader sees it. */
async function detectionLagMs(samples: number): Promise<number[]> {
  const child = execa(
    'node',
    [
      '-e',
      `
    const rl = require('node:readline').createInterface({ input: process.stdin });
    rl.on('line', () => { process.stdout.write((performance.timeOrigin + performance.now()) + ' CWWKF0011I: ready\\n'); });
  `,
    ],
    { buffer: false, stdin: 'pipe', stdout: 'pipe' },
  );
  const lags: number[] = [];
  const lines = child.iterable({ from: 'stdout' })[Symbol.asyncIterator]();
  for (let i = 0; i < samples; i += 1) {
    child.stdin?.write('go\n');
    const { value } = await lines.next();
    const seen = nowMs();
    lags.push(seen - Number(String(value).split(' ')[0]));
  }
  child.stdin?.end();
  await child.catch(() => undefined);
  return lags.sort((a, b) => a - b);
}

const bench = new Bench({ time: 1000 });
// Whole-file work takes seconds per call: a few iterations are enough.
const heavy = new Bench({ time: 0, iterations: 3, warmupIterations: 1 });
const big = bigResults(10_000);
const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as ResultsFile;
const inputs = [{ label: 'fixture', results: fixture, analysis: analyze(fixture) }];
const readySpec = allCharts(inputs)[0]?.spec;
const slower: ResultsFile = {
  ...big,
  runs: big.runs.map((r) => ({ ...r, metrics: { ...r.metrics, readyMs: (r.metrics.readyMs as number) * 1.05 } })),
};
const startups = big.runs.filter((r) => r.variant === 'cold').map((r) => r.metrics.firstResponseMs as number);

bench.add('parse one Liberty log line (ISO timestamp, message ID)', () => {
  parseLogLine(READY);
});
heavy
  .add('analyze 10,000 runs (medians, bootstrap CIs, MAD outliers, speedups)', () => {
    analyze(big);
  })
  .add('compare two files of 10,000 runs (bootstrap ratio CIs, Monte Carlo rank tests)', () => {
    compareResults(big, slower, { thresholdPct: 5, metrics: ['readyMs', 'firstResponseMs'], seed: 1 });
  })
  .add('plan one variant from 3,334 startups (closed form, latency percentiles)', () => {
    planVariant('s', 'cold', startups, {
      arrivalRatePerS: 0.5,
      idleTimeoutS: 5,
      concurrency: 100,
      serviceMs: 10,
      sloMs: 1000,
    });
  })
  .add('render the time-to-ready chart (vega-lite -> SVG)', async () => {
    if (readySpec) await renderSvg(readySpec);
  });

await bench.run();
await heavy.run();
console.table([...bench.table(), ...heavy.table()]);
const lags = await detectionLagMs(200);
const q = (p: number): number => lags[Math.min(lags.length - 1, Math.floor(p * lags.length))] as number;
const lag = { lines: lags.length, medianMs: q(0.5), p90Ms: q(0.9), maxMs: q(1) };
console.log(
  `readiness detection lag through a pipe (200 lines): median ${lag.medianMs.toFixed(3)} ms, p90 ${lag.p90Ms.toFixed(3)} ms, max ${lag.maxMs.toFixed(3)} ms`,
);
const jsonFile = benchArgs(process.argv.slice(2)).flag('--json');
if (jsonFile !== undefined) {
  const tasks = [...bench.tasks, ...heavy.tasks].map((t) => {
    const r = t.result as { latency?: { p50?: number; mean?: number } } | undefined;
    return { name: t.name, medianMs: r?.latency?.p50, meanMs: r?.latency?.mean };
  });
  const measured = { measuredAt: new Date().toISOString(), machine: benchMachine(), tasks, detectionLag: lag };
  writeFileSync(jsonFile, `${JSON.stringify(measured, null, 2)}\n`);
  console.log(`written: ${jsonFile}`);
}
