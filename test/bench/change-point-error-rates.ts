/**
 * The history trend's error rates (a benchmark, not a pass/fail test), on this machine's real starts:
 *
 *   node --import tsx test/bench/change-point-error-rates.ts NOISE.json BUILDS_DIR [--series 200] [--aa-series 1000]
 *        [--builds 100] [--starts 10] [--json OUT]
 *
 * A series of `--builds` builds: each build's value is the median of `--starts` starts drawn (with replacement) from
 * NOISE.json's real ok starts of one variant, times a build-level factor exp(sd_b * z): the spread between builds that
 * one run's starts do not show (a build runs another day, on a host that drifted). sd_b is measured on the real builds
 * in BUILDS_DIR measured with the same options (their medians' log SD, less what the median of their starts alone
 * explains), and the benchmark is also run with the A/B gate's measured round-to-round drift (0.08) as a harder case.
 * A/A: no step, any change point is false. Steps of 5, 10 and 20% begin at a build drawn from 20..80 of 100; a step
 * is found when a change point lies within one build of it. Method: history trend's defaults for one series.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { medianOf } from '../../src/history/trend.js';
import { readResults } from '../../src/results/read.js';
import { startCounts } from '../../src/store/record.js';
import { DEFAULT_CHANGE_POINT_OPTIONS, findChangePoints } from '../../src/stats/change-points.js';
import { seededRandom } from '../../src/stats/random.js';
import { DEFAULT_RUNS } from '../../src/run/defaults.js';
import { wilson } from '../support/wilson.js';
import { benchArgs, startPools } from './bench-input.js';

const { positional, flag } = benchArgs(process.argv.slice(2));
const [noiseFile, buildsDir] = positional;
if (!noiseFile || !buildsDir) {
  process.stderr.write('usage: change-point-error-rates.ts NOISE.json BUILDS_DIR [--series 200] [--json OUT]\n');
  process.exit(2);
}
const SERIES = Number(flag('--series') ?? 200);
/** A/A series are cheap (most stop after a few permutations) and their rate is the one to pin down: more of them. */
const AA_SERIES = Number(flag('--aa-series') ?? 1000);
const BUILDS = Number(flag('--builds') ?? 100);
const STARTS = Number(flag('--starts') ?? DEFAULT_RUNS);
const METRIC = 'readyMs';
const STEPS = [1, 1.05, 1.1, 1.2];
const ROUND_DRIFT_SD = 0.08;

const pools = await startPools(noiseFile, METRIC);

// The real builds' spread: their medians' log SD, less the SD the median of their starts alone has.
const buildFiles = readdirSync(buildsDir).filter((f) => /^build-\d+\.json$/.test(f));
const realBuilds = await Promise.all(buildFiles.map((f) => readResults(path.join(buildsDir, f))));
const primed = realBuilds.filter((b) => (b.config.coldState ?? 'primed') === 'primed');
const buildStarts = primed.map((b) => b.runs.filter(startCounts).flatMap((r) => [r.metrics[METRIC] as number]));
const logSd = (v: readonly number[]) => {
  const l = v.map(Math.log);
  const m = l.reduce((a, b) => a + b, 0) / l.length;
  return Math.sqrt(l.reduce((a, b) => a + (b - m) ** 2, 0) / (l.length - 1));
};
const coldPool = pools.get('cold') ?? [];
const perBuild = buildStarts[0]?.length ?? 3;
const random0 = seededRandom(99);
const draw = (pool: readonly number[], random: () => number) => pool[Math.floor(random() * pool.length)] as number;
const medOfDraws = Array.from({ length: 4000 }, () =>
  medianOf(Array.from({ length: perBuild }, () => draw(coldPool, random0))),
);
const totalSd = logSd(buildStarts.map(medianOf));
const withinSd = logSd(medOfDraws);
const buildSd = Math.sqrt(Math.max(0, totalSd ** 2 - withinSd ** 2));

function simulate(variant: string, drift: number, step: number, seed: number) {
  const pool = pools.get(variant) as number[];
  const random = seededRandom(seed);
  const at = 20 + Math.floor(random() * 61);
  const values = Array.from({ length: BUILDS }, (_, i) => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const factor = Math.exp(drift * z) * (i >= at ? step : 1);
    return medianOf(Array.from({ length: STARTS }, () => draw(pool, random) * factor));
  });
  // The test's own stream: the permutations must not replay the numbers that drew the data.
  const found = findChangePoints(values, { ...DEFAULT_CHANGE_POINT_OPTIONS, seed: (seed * 2654435761) >>> 0 });
  return { found, at };
}

const rows = [];
const started = Date.now();
for (const [name, drift] of [
  ['measured between-build spread', buildSd],
  ['A/B round drift', ROUND_DRIFT_SD],
] as const)
  for (const variant of ['cold', 'beforeAppStart', 'afterAppStart'].filter((v) => pools.has(v)))
    for (const step of STEPS) {
      let flagged = 0;
      let located = 0;
      const count = step === 1 ? AA_SERIES : SERIES;
      for (let s = 0; s < count; s += 1) {
        const { found, at } = simulate(variant, drift, step, 1 + s + Math.round(step * 1000) * 7919);
        if (found.length > 0) flagged += 1;
        if (found.some((c) => Math.abs(c.index - at) <= 1)) located += 1;
      }
      const k = step === 1 ? flagged : located;
      const [low, high] = wilson(k, count);
      rows.push({
        noise: name,
        buildSd: drift,
        variant,
        stepPct: Math.round((step - 1) * 100),
        series: count,
        rate: k / count,
        low,
        high,
      });
      process.stdout.write(
        `${name.padEnd(30)} ${variant.padEnd(15)} ${step === 1 ? 'A/A: series with a false change point' : `${Math.round((step - 1) * 100)}% step found within one build`}: ` +
          `${k}/${count} = ${((100 * k) / count).toFixed(1)}% (95% ${(100 * low).toFixed(1)}-${(100 * high).toFixed(1)}%)\n`,
      );
    }
const doc = {
  kind: 'instanton-bench/change-point-error-rates',
  method: { ...DEFAULT_CHANGE_POINT_OPTIONS, builds: BUILDS, startsPerBuild: STARTS, metric: METRIC },
  noise: {
    file: path.relative(process.cwd(), noiseFile),
    starts: Object.fromEntries([...pools].map(([k, v]) => [k, v.length])),
    builds: buildFiles.length,
    primedBuilds: primed.length,
    buildMediansLogSd: totalSd,
    medianOfStartsLogSd: withinSd,
    betweenBuildLogSd: buildSd,
  },
  rows,
  seconds: (Date.now() - started) / 1000,
};
process.stdout.write(
  `between-build spread: log SD of ${primed.length} real builds' medians ${totalSd.toFixed(4)}, of a median of ` +
    `${perBuild} starts ${withinSd.toFixed(4)}: sd_b ${buildSd.toFixed(4)}; ${doc.seconds.toFixed(0)} s\n`,
);
const out = flag('--json');
if (out) writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
