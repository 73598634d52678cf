import { normalDensity, normalUpperQuantile, normalUpperTail } from './distributions.js';

/**
 * Group-sequential boundaries by error spending (Lan & DeMets 1983): a two-sided test of
 * "no change" looked at K times, at information fractions t_1 < ... < t_K, rejects at look k
 * when |Z_k| >= b_k, where the b_k spend the error α(t) as information accrues, so the
 * chance of any false rejection over all looks is α whatever the number of looks.
 *
 * Z_k follows the canonical joint distribution (Jennison & Turnbull, Group Sequential Methods,
 * 2000, ch. 3): Z_k = S_k / sqrt(t_k) with S a Brownian motion in the information t. The
 * crossing probabilities are integrated numerically on a grid in S (the recursion of Armitage,
 * McPherson & Rowe, 1969): the density of S at look k over the continuation region is the
 * previous one convolved with the increment's normal density.
 */

export type SpendingFunction = 'pocock' | 'obrien-fleming';
export const SPENDING_FUNCTIONS: readonly SpendingFunction[] = ['pocock', 'obrien-fleming'];

/** The error spent by information fraction t (two-sided, total alpha at t = 1). */
export function spent(spending: SpendingFunction, alpha: number, t: number): number {
  if (t <= 0) return 0;
  const f = Math.min(1, t);
  if (spending === 'pocock') return alpha * Math.log(1 + (Math.E - 1) * f);
  // O'Brien-Fleming type, per side at level alpha/2: 2 - 2 Φ(z_{α/4} / sqrt(t)) each side.
  return 4 * normalUpperTail(normalUpperQuantile(alpha / 4) / Math.sqrt(f));
}

/** Grid and kernels shared by every alpha for one set of fractions. */
interface Grid {
  readonly h: number;
  readonly x: Float64Array;
  /** Per look k >= 1: the increment's density at offsets -m..m grid steps. */
  readonly kernels: Float64Array[];
}

const gridCache = new Map<string, Grid>();
/** |S| beyond this many standard deviations of S at t = max fraction is ignored (mass < 1e-12). */
const SPAN_SD = 7.5;
/** Grid steps per standard deviation of the smallest increment. */
const STEPS_PER_SD = 10;

function gridFor(fractions: readonly number[]): Grid {
  const key = fractions.join(',');
  const cached = gridCache.get(key);
  if (cached) return cached;
  const increments = fractions.map((t, i) => t - (i === 0 ? 0 : (fractions[i - 1] as number)));
  const h = Math.sqrt(Math.min(...increments)) / STEPS_PER_SD;
  const span = SPAN_SD * Math.sqrt(fractions[fractions.length - 1] as number);
  const half = Math.ceil(span / h);
  const x = new Float64Array(2 * half + 1);
  for (let j = 0; j < x.length; j += 1) x[j] = (j - half) * h;
  const kernels = increments.map((d) => {
    const sd = Math.sqrt(d);
    const m = Math.ceil((8 * sd) / h);
    const k = new Float64Array(2 * m + 1);
    for (let j = -m; j <= m; j += 1) k[j + m] = (normalDensity((j * h) / sd) / sd) * h;
    return k;
  });
  const grid = { h, x, kernels };
  gridCache.set(key, grid);
  return grid;
}

/**
 * Mass of a symmetric density on the grid beyond ±a: each grid point stands for the mass of its
 * cell [x - h/2, x + h/2] (the midpoint rule the convolution uses), a cell cut by the boundary
 * counted by the share beyond it, so the mass that crosses and the mass that continues add up.
 */
function twoSidedTail(f: Float64Array, x: Float64Array, h: number, a: number): number {
  const n = x.length;
  const x0 = x[0] as number;
  // The cell that holds a: index of the point whose cell [x - h/2, x + h/2] contains a.
  const j = Math.round((a - x0) / h);
  if (j > n - 1) return 0;
  let upper = 0;
  for (let i = n - 1; i > j; i -= 1) upper += f[i] as number;
  if (j >= 0) {
    const cellEnd = (x[j] as number) + h / 2;
    upper += ((f[j] as number) * Math.max(0, Math.min(h, cellEnd - a))) / h;
  }
  return 2 * upper * h;
}

/** The continuing paths: each cell keeps only its share inside (-a, a). */
function truncate(f: Float64Array, x: Float64Array, h: number, a: number): void {
  for (let j = 0; j < x.length; j += 1) {
    const d = Math.abs(x[j] as number);
    const inside = Math.max(0, Math.min(h, a - (d - h / 2))) / h;
    if (inside < 1) f[j] = (f[j] as number) * inside;
  }
}

/**
 * Two-sided boundaries b_1..b_K on the Z scale for total error alpha spent by `spending` at
 * the given information fractions (increasing; the last is usually 1). A look that may spend
 * nothing gets Infinity.
 */
export function spendingBoundaries(fractions: readonly number[], alpha: number, spending: SpendingFunction): number[] {
  return boundariesFor(fractions, (t) => spent(spending, alpha, t));
}

function boundariesFor(fractions: readonly number[], spend: (t: number) => number): number[] {
  let spentSoFar = 0;
  return recurse(fractions, (t, tail, xMax) => {
    const target = spend(t) - spentSoFar;
    let a: number;
    if (!(target > 0) || tail(xMax - 1e-12) >= target) a = Infinity;
    else if (tail(0) <= target) a = 0;
    else {
      let lo = 0;
      let hi = xMax;
      for (let i = 0; i < 100 && hi - lo > 1e-10; i += 1) {
        const mid = (lo + hi) / 2;
        if (tail(mid) > target) lo = mid;
        else hi = mid;
      }
      a = (lo + hi) / 2;
    }
    spentSoFar += a === Infinity ? 0 : tail(a);
    return a;
  }).map((a, k) => a / Math.sqrt(fractions[k] as number));
}

/**
 * The recursion: at each look the density of S (continuing paths only) is formed, `choose`
 * picks the boundary on the S scale from the tail-mass function, and the paths beyond it stop.
 */
function recurse(
  fractions: readonly number[],
  choose: (t: number, tail: (a: number) => number, xMax: number) => number,
): number[] {
  const { h, x, kernels } = gridFor(fractions);
  const n = x.length;
  let f = new Float64Array(n);
  return fractions.map((t, k) => {
    if (k === 0) {
      const sd = Math.sqrt(t);
      for (let j = 0; j < n; j += 1) f[j] = normalDensity((x[j] as number) / sd) / sd;
    } else {
      const kernel = kernels[k] as Float64Array;
      const m = (kernel.length - 1) / 2;
      const next = new Float64Array(n);
      for (let i = 0; i < n; i += 1) {
        const fi = f[i] as number;
        if (fi === 0) continue;
        const hi = Math.min(n - 1, i + m);
        for (let j = Math.max(0, i - m); j <= hi; j += 1)
          next[j] = (next[j] as number) + fi * (kernel[j - i + m] as number);
      }
      f = next;
    }
    const current = f;
    const a = choose(t, (b) => twoSidedTail(current, x, h, b), x[n - 1] as number);
    if (a !== Infinity) truncate(f, x, h, a);
    return a;
  });
}

/**
 * The probability that |Z_k| >= bounds[k] at some look (two-sided, "no change"): a check of the
 * integration against published constant boundaries (Pocock 1977, O'Brien & Fleming 1979).
 */
export function crossingProbability(fractions: readonly number[], bounds: readonly number[]): number {
  let total = 0;
  recurse(fractions, (t, tail) => {
    const a = (bounds[fractions.indexOf(t)] as number) * Math.sqrt(t);
    total += tail(a);
    return a;
  });
  return total;
}
