/**
 * How far the host speed index moves on one host kind over a day, read from every committed results file that carries
 * one (a benchmark, not a pass/fail test; the docs test recomputes its figures with `hostSpeedDay`):
 *
 *   node --import tsx test/bench/host-speed-day.ts [--json OUT]
 *
 * Per host kind (CPU model and kernel build; the run with a busy loop on the server CPU left out): the runs, the hours between the first and the last, the index's range
 * and median; and the index taken twice within one run (before the first start and after the last, minutes apart):
 * the ratio of the larger to the smaller, median and 95th percentile. The latter is the spread of the index on one
 * host that nothing else explains, the bound a warning that the host moved must clear.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { median, quantile } from 'simple-statistics';
import { readResults } from '../../src/results/read.js';
import { benchArgs } from './bench-input.js';

export const DAY_ROOTS = ['results/reference', 'test/fixtures'] as const;
/** Runs made on a deliberately loaded host (a busy loop on the server CPU): not the host's own spread. */
export const LOADED = ['results/reference/host-speed-hog-server-cpu.json'] as const;

export interface HostDay {
  readonly host: string;
  readonly runs: number;
  readonly first: string;
  readonly last: string;
  readonly hours: number;
  readonly min: number;
  readonly median: number;
  readonly max: number;
  /** Runs with the index taken before and after: max/min of the two. */
  readonly withinRun?: {
    readonly runs: number;
    readonly median: number;
    readonly p95: number;
    readonly max: number;
    /** Each run's larger index over its smaller. */
    readonly ratios: readonly number[];
  };
}

function resultsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return resultsFiles(p);
    return /\.json$/.test(name) ? [p] : [];
  });
}

/** Every committed run's index, grouped by host kind (root: the checkout). */
export async function hostSpeedDay(root = '.'): Promise<HostDay[]> {
  const by = new Map<string, Array<{ at: string; index: number; after?: number }>>();
  for (const dir of DAY_ROOTS)
    for (const file of resultsFiles(path.join(root, dir)).sort()) {
      if (LOADED.some((l) => path.resolve(root, l) === path.resolve(file))) continue;
      const f = await readResults(file).catch(() => undefined);
      const speed = f?.environment.hostSpeed;
      if (!f || !speed) continue;
      const host = `${f.environment.cpuModel ?? 'unknown CPU'}, kernel ${f.environment.kernel ?? 'unknown'}`;
      const after = f.environment.hostSpeedAfter?.index;
      by.set(host, [...(by.get(host) ?? []), { at: f.createdAt, index: speed.index, ...(after ? { after } : {}) }]);
    }
  return [...by].map(([host, runs]) => {
    const at = runs.map((r) => Date.parse(r.at));
    const all = runs.flatMap((r) => (r.after === undefined ? [r.index] : [r.index, r.after]));
    const pairs = runs
      .filter((r) => r.after !== undefined)
      .map((r) => Math.max(r.index, r.after!) / Math.min(r.index, r.after!));
    return {
      host,
      runs: runs.length,
      first: new Date(Math.min(...at)).toISOString(),
      last: new Date(Math.max(...at)).toISOString(),
      hours: (Math.max(...at) - Math.min(...at)) / 3_600_000,
      min: Math.min(...all),
      median: median(all),
      max: Math.max(...all),
      ...(pairs.length > 0
        ? {
            withinRun: {
              runs: pairs.length,
              median: median(pairs),
              p95: quantile(pairs, 0.95),
              max: Math.max(...pairs),
              ratios: pairs,
            },
          }
        : {}),
    };
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { flag } = benchArgs(process.argv.slice(2));
  const hosts = await hostSpeedDay();
  for (const h of hosts)
    process.stdout.write(
      `${h.host}: ${h.runs} runs over ${h.hours.toFixed(1)} h (${h.first} to ${h.last}), index ${h.min}-${h.max} ` +
        `(median ${h.median}); before/after within a run: ` +
        (h.withinRun
          ? `${h.withinRun.runs} runs, median ${h.withinRun.median.toFixed(3)}x, p95 ${h.withinRun.p95.toFixed(3)}x, ` +
            `max ${h.withinRun.max.toFixed(3)}x\n`
          : 'not taken (runs from before the second probe)\n'),
    );
  const out = flag('--json');
  if (out)
    writeFileSync(
      out,
      `${JSON.stringify({ kind: 'instanton-bench/host-speed-day', roots: DAY_ROOTS, hosts }, null, 2)}\n`,
    );
}
