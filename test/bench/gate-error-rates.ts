/**
 * The A/B gate's error rates, measured on this machine's real noise (a benchmark, not a
 * pass/fail test). Inputs: an A/A run (two arms of the same build) and a run with a really
 * slowed arm, both made with `instanton-bench run --arm ...` (see the README for the commands).
 *
 *   node --import tsx test/bench/gate-error-rates.ts AA.json SLOW.json [--rounds 10] [--gates 400] [--json OUT]
 *
 * (a) False alarms: gates of `--rounds` rounds on the A/A run, (1) its disjoint windows as they
 *     were measured, (2) gates of rounds drawn without replacement from it (each round keeps
 *     its pair of starts). A false alarm is a gate that reports any regression (improvements are
 *     counted too). Every gate is the full gate: all variants x readyMs, firstResponseMs, Holm.
 * (b) Power on real noise: the same resampled A/A gates with the second arm's times of one
 *     variant multiplied by 1.10 (a spike-in on measured rounds), per variant.
 * (c) A real slowdown: the slowed arm (e.g. cpus=0.7), disjoint windows and resampled gates.
 * (d) The minimum detectable effect: the smallest spike-in flagged in >= 90% of gates.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { readResults } from '../../src/results/read.js';
import type { ResultsFile } from '../../src/results/types.js';
import { compareArms } from '../../src/stats/compare-arms.js';
import { DEFAULT_COMPARE_METRICS, DEFAULT_THRESHOLD_PCT, RECOMMENDED_RUNS } from '../../src/stats/compare.js';
import { seededRandom, shuffle } from '../../src/stats/random.js';
import { wilson } from '../support/wilson.js';
import { fileOfRounds, roundsOf, type Round } from '../support/gate-rounds.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const [aaFile, slowFile] = args.filter((a, i) => !a.startsWith('--') && !(args[i - 1] ?? '').startsWith('--'));
if (!aaFile) {
  process.stderr.write('usage: gate-error-rates.ts AA.json [SLOW.json] [--rounds 10] [--gates 400] [--json OUT]\n');
  process.exit(2);
}
const ROUNDS = flag('--rounds', RECOMMENDED_RUNS);
const GATES = flag('--gates', 400);
const POWER_TARGET = 0.9;
const RESAMPLES = 200; // intervals only decide "unchanged"; regressions rest on the test and the ratio
const VARIANTS = ['cold', 'beforeAppStart', 'afterAppStart'] as const;

function gateOf(
  template: ResultsFile,
  rounds: readonly Round[],
  spike?: { arm: string; variant: string; factor: number },
): ReturnType<typeof compareArms> {
  return compareArms(fileOfRounds(template, rounds, spike), {
    thresholdPct: DEFAULT_THRESHOLD_PCT,
    metrics: DEFAULT_COMPARE_METRICS,
    seed: 1,
    resamples: RESAMPLES,
  });
}

function windows(rounds: readonly Round[]): Round[][] {
  const out: Round[][] = [];
  for (let i = 0; i + ROUNDS <= rounds.length; i += ROUNDS) out.push(rounds.slice(i, i + ROUNDS));
  return out;
}

/**
 * Gates of ROUNDS rounds drawn without replacement from the measured rounds (a round never
 * appears twice in one gate: duplicates would make the test overconfident). Gates overlap
 * each other, so the shares below are estimates from one run's rounds, not independent trials.
 */
function resampled(rounds: readonly Round[], seed: number): Round[][] {
  const random = seededRandom(seed);
  if (rounds.length < ROUNDS) throw new Error(`${rounds.length} rounds cannot make gates of ${ROUNDS}`);
  return Array.from({ length: GATES }, () => shuffle(rounds, random).slice(0, ROUNDS));
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const share = (k: number, n: number): string => {
  const [lo, hi] = wilson(k, n);
  return `${k}/${n} = ${pct(k / n)} (95% CI ${pct(lo)}–${pct(hi)})`;
};

const aa = await readResults(aaFile);
const arms = (aa.config.arms ?? []).map((a) => a.name);
if (arms.length !== 2) throw new Error(`${aaFile}: expected an A/A run with two arms`);
const second = arms[1] as string;
const aaRounds = roundsOf(aa);
const report: Record<string, unknown> = {
  aaFile,
  rounds: ROUNDS,
  gates: GATES,
  aaRounds: aaRounds.length,
  threshold: DEFAULT_THRESHOLD_PCT,
  metrics: DEFAULT_COMPARE_METRICS,
};
const lines: string[] = [
  `A/A run ${aaFile}: ${aaRounds.length} complete rounds; gates of ${ROUNDS} rounds, every variant x ${DEFAULT_COMPARE_METRICS.join(', ')}, Holm.`,
];

// (a) false alarms
const flagged = (g: ReturnType<typeof compareArms>): { reg: boolean; imp: boolean } => ({
  reg: g.some((r) => r.verdict === 'regression'),
  imp: g.some((r) => r.verdict === 'improvement'),
});
const measuredWindows = windows(aaRounds).map((w) => flagged(gateOf(aa, w)));
const resampledAa = resampled(aaRounds, 1).map((w) => flagged(gateOf(aa, w)));
const faWindows = measuredWindows.filter((f) => f.reg).length;
const faResampled = resampledAa.filter((f) => f.reg).length;
lines.push(
  `false alarms, measured windows: ${share(faWindows, measuredWindows.length)} report a regression; ${measuredWindows.filter((f) => f.imp).length} an improvement`,
);
lines.push(
  `false alarms, resampled gates: ${share(faResampled, resampledAa.length)} report a regression; ${resampledAa.filter((f) => f.imp).length}/${resampledAa.length} an improvement`,
);
report.falseAlarms = {
  windows: {
    regression: faWindows,
    improvement: measuredWindows.filter((f) => f.imp).length,
    gates: measuredWindows.length,
  },
  resampled: {
    regression: faResampled,
    improvement: resampledAa.filter((f) => f.imp).length,
    gates: resampledAa.length,
  },
};

// (b) power of a +10% spike-in per variant, and (d) the minimum detectable effect
const powerAt = (variant: string, factor: number, seed: number): number => {
  const gates = resampled(aaRounds, seed);
  return (
    gates.filter((w) =>
      gateOf(aa, w, { arm: second, variant, factor }).some(
        (r) => r.variant === variant && r.metric === 'readyMs' && r.verdict === 'regression',
      ),
    ).length / gates.length
  );
};
const power: Record<string, unknown> = {};
for (const variant of aa.config.variants.filter((v) => (VARIANTS as readonly string[]).includes(v))) {
  const p10 = powerAt(variant, 1.1, 2);
  let mde: number | undefined;
  for (let f = 1.02; f <= 1.6 + 1e-9; f += 0.02) {
    if (powerAt(variant, f, 3) >= POWER_TARGET) {
      mde = f;
      break;
    }
  }
  power[variant] = { powerAt10Pct: p10, mde90: mde };
  lines.push(
    `${variant}: a +10% readyMs spike-in is flagged in ${pct(p10)} of ${GATES} gates; smallest change flagged in >= 90%: ${mde === undefined ? '> 60%' : `+${Math.round((mde - 1) * 100)}%`}`,
  );
}
report.power = power;

// (c) a real slowdown
if (slowFile) {
  const slow = await readResults(slowFile);
  const slowArm = (slow.config.arms ?? [])[1]?.name as string;
  const slowRounds = roundsOf(slow);
  const all = gateOf(slow, slowRounds);
  const real: Record<string, unknown> = {};
  for (const variant of slow.config.variants) {
    const row = all.find((r) => r.variant === variant && r.metric === 'readyMs');
    const gates = resampled(slowRounds, 4);
    const hit = gates.filter((w) =>
      gateOf(slow, w).some((r) => r.variant === variant && r.metric === 'readyMs' && r.verdict === 'regression'),
    ).length;
    const win = windows(slowRounds).map((w) =>
      gateOf(slow, w).some((r) => r.variant === variant && r.metric === 'readyMs' && r.verdict === 'regression'),
    );
    real[variant] = {
      ratio: row?.ratio,
      ci: row?.ratioCi,
      flaggedResampled: hit / gates.length,
      flaggedWindows: `${win.filter(Boolean).length}/${win.length}`,
    };
    lines.push(
      `real slowdown (${slowArm} in ${slowFile}, ${slowRounds.length} rounds): ${variant} readyMs ratio ${row?.ratio.toFixed(3)} (${row?.ratioCi.low.toFixed(3)}–${row?.ratioCi.high.toFixed(3)}); flagged in ${pct(hit / gates.length)} of resampled gates, ${win.filter(Boolean).length}/${win.length} measured windows`,
    );
  }
  report.realSlowdown = { file: slowFile, arm: slowArm, rounds: slowRounds.length, variants: real };
}

process.stdout.write(`${lines.join('\n')}\n`);
const jsonAt = args.indexOf('--json');
if (jsonAt >= 0 && args[jsonAt + 1]) writeFileSync(args[jsonAt + 1] as string, `${JSON.stringify(report, null, 2)}\n`);
void readFileSync;
