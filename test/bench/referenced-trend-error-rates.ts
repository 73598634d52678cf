/**
 * The history trend's error rates on a drifting host, absolute and beside a reference arm (a benchmark, not a
 * pass/fail test), from real starts and real drift:
 *
 *   node --import tsx test/bench/referenced-trend-error-rates.ts NOISE.json QUIET_BUILDS_DIR DRIFTING_BUILDS_DIR
 *        [HOURS_BUILDS_DIR [PAIRED_HOURS_DIR]] [--series 200] [--aa-series 1000] [--builds 100] [--starts 10]
 *        [--json OUT]
 *
 * NOISE.json: one run's real starts (the start-to-start noise, per variant). The drift between builds (log SD of
 * their factor) is measured on real primed builds: QUIET_BUILDS_DIR (six builds within minutes on a quiet host) and
 * DRIFTING_BUILDS_DIR (a fresh AMD VM with a neighbour: 1.5x in five minutes), HOURS_BUILDS_DIR (optional: primed
 * builds one every 7 minutes over more than an hour on one host, as a nightly series meets its host), besides the A/B gate's measured
 * round-to-round drift (0.08). PAIRED_HOURS_DIR (optional): builds over hours each measured as a reference arm and a
 * build arm of the same image (test/bench/history-hours.sh): its build arm gives the absolute drift, and the drift left
 * in its per-round ratios build/ref (their between-build log SD less what the rounds explain) is added to the
 * referenced series, instead of assuming that the reference cancels the host entirely. Each series has `--builds` builds of `--starts` rounds; a build's host factor
 * exp(sd_b z_build) and each round's exp(0.08 z_round / 2) multiply every start of that round.
 * - absolute: a build's value is the median of its candidate starts (host factor in it);
 * - referenced: each round a reference start and a candidate start, both with the round's host factor; a build's
 *   value is the median of the per-round ratios candidate/reference (the host cancels, the pairing noise stays).
 * A/A: no step, any change point is false. Steps of 5, 10 and 20% of the candidate alone begin at a build drawn from
 * 20..80; a step is found when a change point lies within one build of it. Method: history trend's defaults.
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
import { benchArgs, pairedColdStarts, startPools } from './bench-input.js';

const { positional, flag } = benchArgs(process.argv.slice(2));
const [noiseFile, quietDir, driftingDir, hoursDir, pairedDir] = positional;
if (!noiseFile || !quietDir || !driftingDir) {
  process.stderr.write('usage: referenced-trend-error-rates.ts NOISE.json QUIET_BUILDS_DIR DRIFTING_BUILDS_DIR\n');
  process.exit(2);
}
const SERIES = Number(flag('--series') ?? 200);
const AA_SERIES = Number(flag('--aa-series') ?? 1000);
const BUILDS = Number(flag('--builds') ?? 100);
const STARTS = Number(flag('--starts') ?? DEFAULT_RUNS);
const METRIC = 'readyMs';
const STEPS = [1, 1.05, 1.1, 1.2];
const ROUND_DRIFT_SD = 0.08;

const pools = await startPools(noiseFile, METRIC);
const draw = (pool: readonly number[], random: () => number) => pool[Math.floor(random() * pool.length)] as number;
const normal = (random: () => number) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const logSd = (v: readonly number[]) => {
  const l = v.map(Math.log);
  const m = l.reduce((a, b) => a + b, 0) / l.length;
  return Math.sqrt(l.reduce((a, b) => a + (b - m) ** 2, 0) / (l.length - 1));
};

/** Builds' centres (medians) and their between-build log SD less what each build's own values explain (resampled). */
function spreadOf(perBuild: readonly number[][], random: () => number): { centres: number[]; sd: number } {
  const centres = perBuild.map(medianOf);
  const own = perBuild.flatMap((v) => v.map((x) => x / medianOf(v)));
  const n = perBuild[0]?.length ?? 3;
  const within = logSd(
    Array.from({ length: 4000 }, () => medianOf(Array.from({ length: n }, () => draw(own, random)))),
  );
  return { centres, sd: Math.sqrt(Math.max(0, logSd(centres) ** 2 - within ** 2)) };
}

/** The between-build log SD of a folder's primed builds: their medians' spread less what their own starts explain. */
async function buildSpread(dir: string): Promise<{ builds: number; medians: number[]; sd: number }> {
  const files = readdirSync(dir).filter((f) => /^build-\d+\.json$/.test(f));
  const builds = (await Promise.all(files.map((f) => readResults(path.join(dir, f))))).filter(
    (b) => (b.config.coldState ?? 'primed') === 'primed',
  );
  const starts = builds.map((b) =>
    b.runs.filter((r) => startCounts(r) && !r.warmup && r.variant === 'cold').map((r) => r.metrics[METRIC] as number),
  );
  const { centres: medians, sd } = spreadOf(starts, seededRandom(99));
  return { builds: builds.length, medians, sd };
}

/**
 * A folder of builds each measured as two arms of one run (a reference arm and a build arm of the same image): the
 * build arm's between-build log SD (as buildSpread), and the between-build log SD left in the per-round ratios
 * build/reference, each less what its builds' own rounds explain (resampled within the builds).
 */
async function pairedSpread(dir: string): Promise<{
  builds: number;
  medians: number[];
  ratios: number[];
  sd: number;
  residualSd: number;
  indices: number[];
}> {
  const files = readdirSync(dir).filter((f) => /^build-\d+\.json$/.test(f));
  const builds = (await Promise.all(files.map((f) => readResults(path.join(dir, f))))).filter(
    (b) => b.state === 'complete',
  );
  const random = seededRandom(98);
  const pairs = builds.map((b) => pairedColdStarts(b, METRIC));
  const absolute = spreadOf(
    pairs.map((p) => p.starts),
    random,
  );
  const ratios = spreadOf(
    pairs.map((p) => p.ratios),
    random,
  );
  const indices = builds.flatMap((b) =>
    [b.environment.hostSpeed?.index, b.environment.hostSpeedAfter?.index].filter((i): i is number => i !== undefined),
  );
  return {
    builds: builds.length,
    medians: absolute.centres,
    ratios: ratios.centres,
    sd: absolute.sd,
    residualSd: ratios.sd,
    indices,
  };
}

function simulate(variant: string, drift: number, step: number, referenced: boolean, seed: number, residual = 0) {
  const pool = pools.get(variant) as number[];
  const random = seededRandom(seed);
  const at = 20 + Math.floor(random() * 61);
  const values = Array.from({ length: BUILDS }, (_, i) => {
    const build = Math.exp(drift * normal(random));
    // What the reference did not cancel (measured by PAIRED_HOURS_DIR; none drawn otherwise, so the other levels'
    // series stay as they were).
    const left = residual > 0 && referenced ? Math.exp(residual * normal(random)) : 1;
    const factor = (i >= at ? step : 1) * left;
    return medianOf(
      Array.from({ length: STARTS }, () => {
        const round = build * Math.exp((ROUND_DRIFT_SD / 2) * normal(random));
        const candidate = draw(pool, random) * round * factor;
        return referenced ? candidate / (draw(pool, random) * round) : candidate;
      }),
    );
  });
  const found = findChangePoints(values, { ...DEFAULT_CHANGE_POINT_OPTIONS, seed: (seed * 2654435761) >>> 0 });
  return { found, at };
}

const quiet = await buildSpread(quietDir);
const drifting = await buildSpread(driftingDir);
const hours = hoursDir ? await buildSpread(hoursDir) : undefined;
/** The span of a folder's builds, in minutes (first to last createdAt). */
async function spanMinutes(dir: string): Promise<number> {
  const files = readdirSync(dir).filter((f) => /^build-\d+\.json$/.test(f));
  const at = (await Promise.all(files.map((f) => readResults(path.join(dir, f))))).map((b) => Date.parse(b.createdAt));
  return Math.round((Math.max(...at) - Math.min(...at)) / 60_000);
}
const hoursLabel =
  hours && hoursDir ? `one AMD VM over ${await spanMinutes(hoursDir)} minutes (${hours.builds} builds)` : '';
const paired = pairedDir ? await pairedSpread(pairedDir) : undefined;
const pairedLabel =
  paired && pairedDir
    ? `one AMD VM over ${await spanMinutes(pairedDir)} minutes, paired (${paired.builds} builds)`
    : '';
const rows = [];
const started = Date.now();
for (const [name, drift, residual] of [
  ['quiet host (six builds in minutes)', quiet.sd, 0],
  ['A/B round drift', ROUND_DRIFT_SD, 0],
  ['fresh AMD VM with a neighbour', drifting.sd, 0],
  ...(hours ? ([[hoursLabel, hours.sd, 0]] as const) : []),
  ...(paired ? ([[pairedLabel, paired.sd, paired.residualSd]] as const) : []),
] as const)
  for (const referenced of [false, true])
    for (const variant of ['cold', 'afterAppStart'].filter((v) => pools.has(v)))
      for (const step of STEPS) {
        let flagged = 0;
        let located = 0;
        const count = step === 1 ? AA_SERIES : SERIES;
        for (let s = 0; s < count; s += 1) {
          const seed = 1 + s + Math.round(step * 1000) * 7919;
          const { found, at } = simulate(variant, drift, step, referenced, seed, residual);
          if (found.length > 0) flagged += 1;
          if (found.some((c) => Math.abs(c.index - at) <= 1)) located += 1;
        }
        const k = step === 1 ? flagged : located;
        const [low, high] = wilson(k, count);
        const series = referenced ? 'referenced' : 'absolute';
        rows.push({
          drift: name,
          buildSd: drift,
          ...(residual > 0 ? { residualSd: residual } : {}),
          series,
          variant,
          stepPct: Math.round((step - 1) * 100),
          count,
          rate: k / count,
          low,
          high,
        });
        process.stdout.write(
          `${name.padEnd(36)} ${series.padEnd(10)} ${variant.padEnd(13)} ` +
            `${step === 1 ? 'A/A: false change point' : `${Math.round((step - 1) * 100)}% step found`}: ` +
            `${k}/${count} = ${((100 * k) / count).toFixed(1)}% (95% ${(100 * low).toFixed(1)}-${(100 * high).toFixed(1)}%)\n`,
        );
      }
const doc = {
  kind: 'instanton-bench/referenced-trend-error-rates',
  method: {
    ...DEFAULT_CHANGE_POINT_OPTIONS,
    builds: BUILDS,
    roundsPerBuild: STARTS,
    metric: METRIC,
    roundDriftSd: ROUND_DRIFT_SD,
  },
  noise: {
    file: path.relative(process.cwd(), noiseFile),
    starts: Object.fromEntries([...pools].map(([k, v]) => [k, v.length])),
  },
  drift: {
    quiet: {
      dir: path.relative(process.cwd(), quietDir),
      primedBuilds: quiet.builds,
      medians: quiet.medians,
      betweenBuildLogSd: quiet.sd,
    },
    drifting: {
      dir: path.relative(process.cwd(), driftingDir),
      primedBuilds: drifting.builds,
      medians: drifting.medians,
      betweenBuildLogSd: drifting.sd,
    },
    ...(hours && hoursDir
      ? {
          hours: {
            dir: path.relative(process.cwd(), hoursDir),
            label: hoursLabel,
            primedBuilds: hours.builds,
            medians: hours.medians,
            betweenBuildLogSd: hours.sd,
          },
        }
      : {}),
    ...(paired && pairedDir
      ? {
          paired: {
            dir: path.relative(process.cwd(), pairedDir),
            label: pairedLabel,
            builds: paired.builds,
            medians: paired.medians,
            ratios: paired.ratios,
            betweenBuildLogSd: paired.sd,
            residualLogSd: paired.residualSd,
            hostSpeedIndices: paired.indices,
          },
        }
      : {}),
  },
  rows,
  seconds: (Date.now() - started) / 1000,
};
process.stdout.write(
  `between-build log SD: quiet ${quiet.sd.toFixed(4)} (${quiet.builds} builds), drifting ${drifting.sd.toFixed(4)} ` +
    `(${drifting.builds} builds); ${doc.seconds.toFixed(0)} s\n`,
);
const out = flag('--json');
if (out) writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
