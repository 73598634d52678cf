import type { ResultsFile, RunRecord } from '../../src/results/types.js';

/** The benchmarks' view of an arm run: whole rounds, and files rebuilt from chosen rounds with a change spiked in. */

export type Round = RunRecord[];

/** The measured rounds whose every start is ok (every arm x scenario x variant present), in order. */
export function roundsOf(results: ResultsFile): Round[] {
  const by = new Map<number, RunRecord[]>();
  for (const r of results.runs) if (!r.warmup) by.set(r.iteration, [...(by.get(r.iteration) ?? []), r]);
  const want = (results.config.arms?.length ?? 1) * results.config.scenarios.length * results.config.variants.length;
  return [...by.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, rs]) => rs)
    .filter((rs) => rs.length === want && rs.every((r) => r.status === 'ok'));
}

export interface Spike {
  readonly arm: string;
  readonly variant: string;
  /** Every time metric (`...Ms`) of that arm's starts of that variant is multiplied by it. */
  readonly factor: number;
}

/** A results file of the given rounds, renumbered 1..n, with an optional change spiked into one arm and variant. */
export function fileOfRounds(template: ResultsFile, rounds: readonly Round[], spike?: Spike): ResultsFile {
  const runs = rounds.flatMap((round, i) =>
    round.map((r) => {
      const scaled = spike && r.arm === spike.arm && r.variant === spike.variant;
      const metrics = scaled
        ? Object.fromEntries(Object.entries(r.metrics).map(([k, v]) => [k, k.endsWith('Ms') ? v * spike.factor : v]))
        : r.metrics;
      return { ...r, iteration: i + 1, metrics };
    }),
  );
  return { ...template, runs };
}
