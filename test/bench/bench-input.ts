import os from 'node:os';
import { readResults } from '../../src/results/read.js';
import type { ResultsFile, RunMetrics } from '../../src/results/types.js';
import { startCounts } from '../../src/store/record.js';

/** A benchmark's command line: its positional arguments, and each `--name value` flag. */
export function benchArgs(argv: readonly string[]): {
  positional: string[];
  flag: (name: string) => string | undefined;
} {
  return {
    positional: argv.filter((a, i) => !a.startsWith('--') && !(argv[i - 1] ?? '').startsWith('--')),
    flag: (name) => {
      const i = argv.indexOf(name);
      return i >= 0 ? argv[i + 1] : undefined;
    },
  };
}

/** The machine a benchmark's output was measured on, written beside its figures. */
export const benchMachine = (): { cpu: string; cpus: number; node: string } => ({
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cpus: os.cpus().length,
  node: process.version,
});

/** One run's real starts that count, one metric, by variant: the noise a benchmark draws from. */
export async function startPools(file: string, metric: keyof RunMetrics): Promise<Map<string, number[]>> {
  const pools = new Map<string, number[]>();
  for (const r of (await readResults(file)).runs.filter(startCounts)) {
    const v = r.metrics[metric];
    if (typeof v === 'number') pools.set(r.variant, [...(pools.get(r.variant) ?? []), v]);
  }
  return pools;
}

/**
 * A build measured as a reference arm and a build arm (run --reference): the build arm's cold starts of a metric that
 * count, and each round's ratio build/reference (rounds paired by iteration).
 */
export function pairedColdStarts(build: ResultsFile, metric: keyof RunMetrics): { starts: number[]; ratios: number[] } {
  const cold = (arm: string) =>
    build.runs.filter((r) => startCounts(r) && !r.warmup && r.variant === 'cold' && r.arm === arm);
  const ref = new Map(cold(build.config.reference ?? 'ref').map((r) => [r.iteration, r.metrics[metric] as number]));
  const mine = cold('build');
  return {
    starts: mine.map((r) => r.metrics[metric] as number),
    ratios: mine.filter((r) => ref.has(r.iteration)).map((r) => (r.metrics[metric] as number) / ref.get(r.iteration)!),
  };
}
