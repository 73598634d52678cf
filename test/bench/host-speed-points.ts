/**
 * The points and fits of test/bench/host-speed-vs-medians.ts, as functions: the bench writes them, the docs test
 * recomputes the table of docs/how-it-works.md from the committed runs with the same code.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { linearRegression, median, sampleRankCorrelation } from 'simple-statistics';
import { readResults } from '../../src/results/read.js';
import { startCounts } from '../../src/store/record.js';

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

async function pointsOf(file: string, arm?: string): Promise<Point[]> {
  const f = await readResults(file);
  const index = f.environment.hostSpeed?.index;
  if (index === undefined) return [];
  const host = /AMD/.test(f.environment.cpuModel ?? '') ? 'AMD EPYC VM' : 'Intel Xeon VM';
  const by = new Map<string, number[]>();
  for (const r of f.runs) {
    // A start that counts (measured, ok, not in a guest, a verified restore where it must be one).
    if (!startCounts(r) || r.metrics.readyMs === undefined) continue;
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
    ...(ps.length >= 3 ? { spearman: Number(sampleRankCorrelation(x, y).toFixed(2)) } : {}),
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
