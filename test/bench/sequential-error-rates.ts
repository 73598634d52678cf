/**
 * The sequential A/B gate's error rates and rounds to a verdict (a benchmark, not a pass/fail
 * test), on this machine's real noise and on simulated noise shaped like it.
 *
 *   node --import tsx test/bench/sequential-error-rates.ts AA.json [SLOW.json] [--gates 300] [--sim-gates 400]
 *        [--spending pocock|obrien-fleming] [--min-rounds 5] [--max-rounds 40] [--threshold 5] [--json OUT]
 *
 * Real noise: each gate is the A/A run's complete rounds in a random order (no round twice in
 * a gate), looked at round by round as `run --sequential` does; a change is spiked into the
 * second arm's starts of one variant (every *Ms metric times the factor). Simulated noise:
 * test/support/simulated-noise.ts (MACHINE_NOISE), fresh rounds per gate. A gate "flags" a
 * change when it reports a regression for that variant; for no change, any regression is a
 * false alarm. Rounds to a verdict: the round the run would stop at (the maximum when it
 * never decides).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readResults } from '../../src/results/read.js';
import type { ResultsFile } from '../../src/results/types.js';
import { DEFAULT_COMPARE_METRICS, DEFAULT_THRESHOLD_PCT } from '../../src/stats/compare.js';
import { seededRandom, shuffle } from '../../src/stats/random.js';
import { analyzeSequential } from '../../src/stats/sequential.js';
import { sequentialDesign } from '../../src/stats/sequential-design.js';
import type { SequentialOutcome } from '../../src/stats/sequential-types.js';
import type { SpendingFunction } from '../../src/stats/spending.js';
import { MACHINE_NOISE, simulatedArms } from '../support/simulated-noise.js';
import { wilson } from '../support/wilson.js';
import { fileOfRounds, roundsOf } from '../support/gate-rounds.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const [aaFile, slowFile] = args.filter((a, i) => !a.startsWith('--') && !(args[i - 1] ?? '').startsWith('--'));
if (!aaFile) {
  process.stderr.write(
    'usage: sequential-error-rates.ts AA.json [SLOW.json] [--gates 300] [--sim-gates 400] [--json OUT]\n',
  );
  process.exit(2);
}
const GATES = Number(flag('--gates') ?? 300);
const SIM_GATES = Number(flag('--sim-gates') ?? 400);
const design = sequentialDesign({
  thresholdPct: Number(flag('--threshold') ?? DEFAULT_THRESHOLD_PCT),
  metrics: DEFAULT_COMPARE_METRICS,
  spending: (flag('--spending') ?? 'pocock') as SpendingFunction,
  minRounds: Number(flag('--min-rounds') ?? 5),
  maxRounds: Number(flag('--max-rounds') ?? 40),
  // --futility-alpha 0: the design without "not worse"; a flag left out takes the design's default.
  futility:
    flag('--futility-alpha') === '0'
      ? false
      : {
          ...(flag('--futility-alpha') !== undefined ? { alpha: Number(flag('--futility-alpha')) } : {}),
          ...(flag('--futility-spending') !== undefined
            ? { spending: flag('--futility-spending') as SpendingFunction }
            : {}),
          ...(flag('--futility-margin') !== undefined ? { marginPct: Number(flag('--futility-margin')) } : {}),
        },
});
const CHANGES = [1, 1.05, 1.1, 1.2, 1.35];
const VARIANTS = ['cold', 'beforeAppStart', 'afterAppStart'] as const;

const fileOf = fileOfRounds;

interface Tally {
  flagged: number;
  anyRegression: number;
  rounds: number[];
  gates: number;
}
const tally = (): Tally => ({ flagged: 0, anyRegression: 0, rounds: [], gates: 0 });
function record(t: Tally, o: SequentialOutcome, variant: string | undefined): void {
  t.gates += 1;
  const regs = o.comparisons.filter((c) => c.gating && c.verdict === 'regression');
  if (regs.length > 0) t.anyRegression += 1;
  if (variant !== undefined && regs.some((c) => c.variant === variant)) t.flagged += 1;
  t.rounds.push(o.looks[o.looks.length - 1]?.round ?? o.rounds);
}
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] as number;
};
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
/** k/n with its Wilson 95% interval. */
const share = (k: number, n: number): string => {
  const [lo, hi] = wilson(k, n);
  return `${k}/${n} = ${pct(k / n)} (${pct(lo)}–${pct(hi)})`;
};
const analyze = (f: ResultsFile): SequentialOutcome => analyzeSequential(f, design, { seed: 1, resamples: 50 });

const out: Record<string, unknown> = { design, gates: GATES, simGates: SIM_GATES };
const lines: string[] = [];
const row = (source: string, change: number, variant: string, t: Tally): void => {
  const k = change === 1 ? t.anyRegression : t.flagged;
  lines.push(
    `| ${source} | ${change === 1 ? '0' : `+${Math.round((change - 1) * 100)}%`} | ${variant} | ${share(k, t.gates)} | ${quantile(t.rounds, 0.5)} | ${quantile(t.rounds, 0.9)} |`,
  );
  (out.rows as unknown[]).push({
    source,
    change,
    variant,
    share: k / t.gates,
    gates: t.gates,
    medianRounds: quantile(t.rounds, 0.5),
    p90Rounds: quantile(t.rounds, 0.9),
  });
};
out.rows = [];
lines.push(`design: ${JSON.stringify(design)}`);
lines.push('| noise | change | variant | gates reporting a regression | rounds to a verdict, median | p90 |');
lines.push('|---|---:|---|---:|---:|---:|');

const aa = await readResults(aaFile);
const arms = (aa.config.arms ?? []).map((a) => a.name);
const second = arms[1] as string;
const aaRounds = roundsOf(aa);
for (const change of CHANGES) {
  for (const variant of change === 1 ? ['all'] : VARIANTS) {
    const t = tally();
    const random = seededRandom(100 + Math.round(change * 100));
    for (let g = 0; g < GATES; g += 1) {
      const rounds = shuffle(aaRounds, random).slice(0, design.maxRounds);
      const spike = change === 1 ? undefined : { arm: second, variant, factor: change };
      record(t, analyze(fileOf(aa, rounds, spike)), change === 1 ? undefined : variant);
    }
    row(`real (${path.basename(aaFile)}, ${aaRounds.length} rounds)`, change, variant, t);
  }
}
const template = JSON.parse(
  readFileSync(path.resolve('test/fixtures/results/pingperf-3-variants.json'), 'utf8'),
) as ResultsFile;
for (const change of CHANGES) {
  for (const variant of change === 1 ? ['all'] : VARIANTS) {
    const t = tally();
    for (let g = 0; g < SIM_GATES; g += 1) {
      const f = simulatedArms(
        design.maxRounds,
        change === 1 ? {} : { [variant]: change },
        MACHINE_NOISE,
        50_000 + g,
        template,
      );
      record(t, analyze(f), change === 1 ? undefined : variant);
    }
    row('simulated', change, variant, t);
  }
}
if (slowFile) {
  const slow = await readResults(slowFile);
  const slowRounds = roundsOf(slow);
  // The slowed arm slows every variant: the gate's answer is "regression" as soon as one is flagged.
  const t = tally();
  const random = seededRandom(8);
  for (let g = 0; g < GATES; g += 1) record(t, analyze(fileOf(slow, shuffle(slowRounds, random))), undefined);
  lines.push(
    `| real slowdown (${path.basename(slowFile)}, ${slowRounds.length} rounds) | cpus=0.7 | any | ${share(t.anyRegression, t.gates)} | ${quantile(t.rounds, 0.5)} | ${quantile(t.rounds, 0.9)} |`,
  );
  (out.rows as unknown[]).push({
    source: 'real slowdown',
    change: 'cpus=0.7',
    variant: 'any',
    share: t.anyRegression / t.gates,
    gates: t.gates,
    medianRounds: quantile(t.rounds, 0.5),
    p90Rounds: quantile(t.rounds, 0.9),
  });
}
process.stdout.write(`${lines.join('\n')}\n`);
const jsonAt = flag('--json');
if (jsonAt) writeFileSync(jsonAt, `${JSON.stringify(out, null, 2)}\n`);
