import type { Interval } from './describe.js';

/**
 * The median's distribution-free interval from order statistics (the interval the sign test gives, as in Conover,
 * Practical Nonparametric Statistics): [x(j), x(n-j+1)] covers the median with probability 1 - 2 P(Binomial(n, 1/2) <= j - 1).
 */
function binomialCdfHalf(k: number, n: number): number {
  let term = Math.pow(0.5, n);
  let sum = k >= 0 ? term : 0;
  for (let i = 1; i <= k; i += 1) {
    term = (term * (n - i + 1)) / i;
    sum += term;
  }
  return sum;
}

/** The median's interval from order statistics [x(j), x(n-j+1)]: at least 95% when n allows, else the range. */
export function medianOrderInterval(values: readonly number[]): Interval & { coverage: number } {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  let j = 1;
  while (j + 1 <= n / 2 && 1 - 2 * binomialCdfHalf(j, n) >= 0.95) j += 1;
  const coverage = 1 - 2 * binomialCdfHalf(j - 1, n);
  return { low: s[j - 1] as number, high: s[n - j] as number, coverage: Math.round(coverage * 1000) / 1000 };
}
