/**
 * The points and fits of test/bench/host-speed-vs-medians.ts, as functions: the bench writes them, the docs test
 * recomputes the table of docs/how-it-works.md from the committed runs with the same code.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { linearRegression, sampleCorrelation } from 'simple-statistics';
import { readResults } from '../../src/results/read.js';

/** The committed files, each with which of its starts are unchanged code. */
export const SOURCES: ReadonlyArray<{ readonly glob: string; readonly arm?: string; readonly builds?: number }> = [
  { glob: 'results/reference/host-speed-idle-1.json' },
  { glob: 'results/reference/host-speed-idle-2.json' },
  { glob: 'results/reference/host-speed-hog-server-cpu.json' },
  { glob: 'results/reference/noise-pingperf.json' },
  { glob: 'results/reference/portable-cost-pingperf.json', arm: 'default' },
  { glob: 'results/reference/history/', builds: 6 },
  { glob: 'results/reference/history-referenced/', arm: 'ref' },
  { glob: 'test/fixtures/history-fresh-amd-vm/', builds: 6 },
  { glob: 'results/reference/history-hours-amd/' },
];

export interface Point {
  readonly file: string;
  readonly host: string;
  readonly variant: string;
  readonly index: number;
  readonly medianMs: number;
  readonly starts: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const ranks = (xs: readonly number[]): number[] => {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(xs.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j += 1;
    for (let k = i; k <= j; k += 1) r[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
};
const spearman = (x: readonly number[], y: readonly number[]): number => sampleCorrelation(ranks(x), ranks(y));

async function pointsOf(file: string, arm?: string): Promise<Point[]> {
  const f = await readResults(file);
  const index = f.environment.hostSpeed?.index;
  if (index === undefined) return [];
  const host = /AMD/.test(f.environment.cpuModel ?? '') ? 'AMD EPYC VM' : 'Intel Xeon VM';
  const by = new Map<string, number[]>();
  for (const r of f.runs) {
    if (r.warmup || r.status !== 'ok' || r.metrics.readyMs === undefined || r.guest !== undefined) continue;
    const runArm = (r as { arm?: string }).arm;
    if (arm !== undefined && runArm !== undefined && runArm !== arm) continue;
    by.set(r.variant, [...(by.get(r.variant) ?? []), r.metrics.readyMs]);
  }
  return [...by].map(([variant, xs]) => ({
    file,
    host,
    variant,
    index,
    medianMs: median(xs),
    starts: xs.length,
  }));
}

/** Every committed point of unchanged code (root: the checkout). */
export async function collectPoints(root = '.'): Promise<Point[]> {
  const points: Point[] = [];
  for (const s of SOURCES) {
    const where = path.join(root, s.glob);
    if (!existsSync(where)) continue;
    const files = s.glob.endsWith('/')
      ? readdirSync(where)
          .filter((n) => /^build-\d+\.json$/.test(n))
          .filter((n) => s.builds === undefined || Number(/\d+/.exec(n)![0]) <= s.builds)
          .map((n) => path.join(where, n))
      : [where];
    for (const file of files) points.push(...(await pointsOf(file, s.arm)));
  }
  return points;
}

export interface Fit {
  readonly group: string;
  readonly points: number;
  readonly indexRange: readonly [number, number];
  readonly medianRangeMs: readonly [number, number];
  readonly spearman?: number;
  readonly elasticity?: number;
}

/** Spearman's correlation and the log-log slope of a group of points (three or more). */
export function fitOf(group: string, ps: readonly Point[]): Fit {
  const x = ps.map((p) => p.index);
  const y = ps.map((p) => p.medianMs);
  const fit = ps.length >= 3 ? linearRegression(ps.map((p) => [Math.log(p.index), Math.log(p.medianMs)])) : undefined;
  return {
    group,
    points: ps.length,
    indexRange: [Math.min(...x), Math.max(...x)],
    medianRangeMs: [Math.min(...y), Math.max(...y)],
    ...(ps.length >= 3 ? { spearman: Number(spearman(x, y).toFixed(2)) } : {}),
    ...(fit ? { elasticity: Number(fit.m.toFixed(2)) } : {}),
  };
}

/** Per host kind and variant, and across both hosts for cold. */
export function fitsOf(points: readonly Point[]): Fit[] {
  const groups = new Map<string, Point[]>();
  for (const p of points) groups.set(`${p.host}, ${p.variant}`, [...(groups.get(`${p.host}, ${p.variant}`) ?? []), p]);
  return [
    ...[...groups].map(([key, ps]) => fitOf(key, ps)),
    fitOf(
      'both hosts, cold',
      points.filter((p) => p.variant === 'cold'),
    ),
  ];
}
