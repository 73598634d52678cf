import type { SequentialDesign } from '../results/types.js';
import { normalUpperTail, tUpperQuantile } from './distributions.js';
import { spendingBoundaries } from './spending.js';

/** The error levels of the boundary table (log-spaced), for repeated p-values. */
export const LEVELS = Array.from({ length: 41 }, (_, i) => 10 ** (-8 + (8 * i) / 40));

export interface Boundaries {
  /** byLevel[i][k]: the boundary at look k for total error LEVELS[i]. */
  readonly byLevel: number[][];
  /** The boundary at each look for the design's equivalence level (repeated confidence intervals). */
  readonly atAlpha: number[];
  /** One-sided boundary at each look for the futility level (the two-sided one at twice the level). */
  readonly futility?: number[];
}

export const boundaryCache = new Map<string, Boundaries>();

/** Looks at rounds minRounds..maxRounds; information fraction rounds / maxRounds. */
export function boundariesOf(design: SequentialDesign): Boundaries {
  const f = design.futility;
  const key = `${design.spending}:${design.minRounds}:${design.maxRounds}:${design.equivalenceAlpha}:${f?.alpha}:${f?.spending}`;
  const cached = boundaryCache.get(key);
  if (cached) return cached;
  const fractions: number[] = [];
  for (let r = design.minRounds; r <= design.maxRounds; r += 1) fractions.push(r / design.maxRounds);
  const out = {
    byLevel: LEVELS.map((a) => spendingBoundaries(fractions, a, design.spending)),
    atAlpha: spendingBoundaries(fractions, design.equivalenceAlpha, design.spending),
    ...(f !== undefined ? { futility: spendingBoundaries(fractions, 2 * f.alpha, f.spending) } : {}),
  };
  boundaryCache.set(key, out);
  return out;
}

/** The smallest level whose boundary at look k lies at or below |z| (interpolated in log level). */
export function levelCrossed(b: Boundaries, k: number, z: number): number {
  const at = (i: number): number => (b.byLevel[i] as number[])[k] as number;
  if (at(0) <= z) return LEVELS[0] as number;
  for (let i = 1; i < LEVELS.length; i += 1) {
    const c = at(i);
    if (c > z) continue;
    const prev = at(i - 1);
    const [la, lb] = [Math.log(LEVELS[i - 1] as number), Math.log(LEVELS[i] as number)];
    if (!Number.isFinite(prev)) return LEVELS[i] as number;
    const frac = prev === c ? 1 : (prev - z) / (prev - c);
    return Math.exp(la + frac * (lb - la));
  }
  return 1;
}

export const quantileCache = new Map<string, number>();

/** The t quantile with the normal tail of boundary c (memoized: a run has few boundaries and df). */
export function intervalQuantile(c: number, df: number): number {
  const key = `${c}:${df}`;
  let q = quantileCache.get(key);
  if (q === undefined) {
    q = tUpperQuantile(normalUpperTail(c), df);
    quantileCache.set(key, q);
  }
  return q;
}

/** The boundary at look k for an error level between the table's levels (log-interpolated). */
export function boundaryAtLevel(b: Boundaries, k: number, level: number): number {
  const l = Math.log(level);
  for (let i = 1; i < LEVELS.length; i += 1) {
    const hi = LEVELS[i] as number;
    if (hi < level) continue;
    const lo = LEVELS[i - 1] as number;
    const [cl, ch] = [(b.byLevel[i - 1] as number[])[k] as number, (b.byLevel[i] as number[])[k] as number];
    if (!Number.isFinite(cl)) return ch;
    const frac = (l - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
    return cl + frac * (ch - cl);
  }
  return (b.byLevel[LEVELS.length - 1] as number[])[k] as number;
}
