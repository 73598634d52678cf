import { describe, expect, it } from 'vitest';
import { mixtureQuantile, planVariant } from '../../../src/plan/capacity.js';
import { simulateColdShare } from '../../../src/plan/simulate.js';

describe('scale-to-zero model', () => {
  it.each([
    [0.05, 60],
    [0.2, 5],
    [1, 1],
  ])('closed-form cold share matches a simulation (λ=%s/s, T=%s s)', (lambda, idle) => {
    const simulated = simulateColdShare(lambda, idle, 200_000, 7);
    const plan = planVariant('s', 'v', [1000], { arrivalRatePerS: lambda, idleTimeoutS: idle, concurrency: 1, serviceMs: 10, sloMs: 500 });
    expect(plan.coldShare).toBeCloseTo(Math.exp(-lambda * idle), 12);
    expect(Math.abs(simulated - plan.coldShare)).toBeLessThan(0.005);
  });

  it('reads latency percentiles off the mixture of warm (0) and cold (a startup) requests', () => {
    const startups = [100, 200, 300, 400, 500];
    expect(mixtureQuantile(startups, 0.02, 0.5)).toBe(0);
    expect(mixtureQuantile(startups, 0.02, 0.99)).toBeCloseTo(300, 9);
    expect(mixtureQuantile(startups, 1, 0.5)).toBe(300);
  });

  it('finds the shortest idle timeout that meets the SLO, and says when any timeout does', () => {
    const input = { arrivalRatePerS: 0.1, idleTimeoutS: 10, concurrency: 10, serviceMs: 20, sloMs: 1000 };
    const slow = planVariant('s', 'cold', [5000, 6000, 7000], input);
    expect(slow.startupsOverSlo).toBe(1);
    // P(cold) * 1 <= 0.01  <=>  T >= ln(100) / 0.1 = 46.05 s
    expect(slow.minIdleTimeoutForSloS).toBeCloseTo(Math.log(100) / 0.1, 9);
    expect(planVariant('s', 'afterAppStart', [500, 600], input).minIdleTimeoutForSloS).toBeNull();
  });

  it('counts instance-seconds from the up time and the startups', () => {
    const p = planVariant('s', 'v', [2000], { arrivalRatePerS: 0.01, idleTimeoutS: 100, concurrency: 1, serviceMs: 10, sloMs: 500 });
    const pCold = Math.exp(-1);
    expect(p.instanceSecondsPerHour).toBeCloseTo(3600 * (1 - pCold + 0.01 * pCold * 2), 9);
    expect(p.instances).toBe(1);
  });
});
