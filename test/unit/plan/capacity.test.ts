import { quantileSorted } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { addedLatencyOver, planVariant, type PlanInput } from '../../../src/plan/capacity.js';
import { simulateScaleToZero } from '../../../src/plan/simulate.js';

const input = (arrivalRatePerS: number, idleTimeoutS: number, sloMs = 1000): PlanInput => ({
  arrivalRatePerS,
  idleTimeoutS,
  concurrency: 100,
  serviceMs: 10,
  sloMs,
});

describe('scale-to-zero closed form against an event-by-event simulation', () => {
  // Startup sets in ms: InstantOn-like, cold-like (longer than the idle timeout), and mixed.
  it.each([
    ['sparse traffic, InstantOn startups', 0.05, 60, [560, 620, 700, 980, 1100], false],
    ['busy traffic, cold startups longer than the idle timeout', 0.5, 5, [7300, 7900, 8200, 9000, 12_000], true],
    ['moderate traffic, mixed startups', 0.2, 10, [400, 1500, 2500, 4000], true],
    ['near-continuous traffic', 2, 3, [600, 800], true],
  ])('%s (λ=%s/s, T=%s s)', (_name, lambda, idle, startups, denseTail) => {
    const plan = planVariant('s', 'cold', startups, input(lambda, idle));
    const sim = simulateScaleToZero(lambda, idle, startups, 400_000, 7);
    expect(Math.abs(sim.coldShare - plan.coldShare)).toBeLessThan(0.004);
    expect(Math.abs(sim.upFraction - plan.instanceSecondsPerHour / 3600)).toBeLessThan(0.01);
    expect(Math.abs(sim.coldStartsPerHour / plan.coldStartsPerHour - 1)).toBeLessThan(0.03);
    const maxStartup = Math.max(...startups);
    for (const f of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
      const x = f * maxStartup + (f > 0 ? 1.37 : 0); // off the atoms at each startup value
      const simulatedOver = sim.waitsMs.filter((w) => w > x).length / sim.waitsMs.length;
      expect(Math.abs(simulatedOver - addedLatencyOver(startups, input(lambda, idle), x))).toBeLessThan(0.004);
    }
    // Percentiles only where enough requests wait for a simulated quantile to be stable.
    if (denseTail)
      for (const [q, figure] of [
        [0.5, plan.addedLatencyMs.p50],
        [0.95, plan.addedLatencyMs.p95],
        [0.99, plan.addedLatencyMs.p99],
      ] as const) {
        expect(Math.abs(quantileSorted([...sim.waitsMs], q) - figure)).toBeLessThan(0.03 * maxStartup);
      }
  });

  it('counts the requests that arrive during a startup: at 0.5/s with 8 s startups far more than e^(-λT) wait', () => {
    const plan = planVariant('s', 'cold', [8000], input(0.5, 5));
    const p = Math.exp(-2.5);
    expect(plan.coldShare).toBeCloseTo((p * (1 + 0.5 * 8)) / (1 + p * 0.5 * 8), 12);
    expect(plan.coldShare).toBeGreaterThan(3 * p);
    expect(plan.instanceSecondsPerHour).toBeLessThan(3600);
  });

  it('finds the shortest idle timeout meeting the SLO: the simulated p99 is at the SLO there and above it at 80% of it', () => {
    const startups = [5000, 6000, 7000];
    const plan = planVariant('s', 'cold', startups, input(0.1, 10));
    expect(plan.startupsOverSlo).toBe(1);
    const t = plan.minIdleTimeoutForSloS as number;
    // p·(P(S > 1 s) + λ·E[(S - 1 s)+] - 0.01·λm) = 0.01, with E[(S - 1 s)+] = 5 s and m = 6 s
    expect(t).toBeCloseTo(Math.log((1 + 0.1 * 5 - 0.01 * 0.1 * 6) / 0.01) / 0.1, 9);
    const at = simulateScaleToZero(0.1, t, startups, 400_000, 3);
    const below = simulateScaleToZero(0.1, 0.8 * t, startups, 400_000, 3);
    const p99 = (w: readonly number[]): number => quantileSorted([...w], 0.99);
    expect(p99(at.waitsMs)).toBeLessThan(1000 + 0.05 * 7000);
    expect(p99(below.waitsMs)).toBeGreaterThan(2000);
    expect(planVariant('s', 'afterAppStart', [500, 600], input(0.1, 10)).minIdleTimeoutForSloS).toBeNull();
  });

  it('reads added-latency percentiles off the mix of requests that wait and those that do not', () => {
    const plan = planVariant('s', 'cold', [100, 200, 300, 400, 500], input(0.001, 4000));
    // P(wait) = e^-4 ≈ 1.8%: the median and p95 wait nothing, the p99 is a startup
    expect(plan.addedLatencyMs.p50).toBe(0);
    expect(plan.addedLatencyMs.p95).toBe(0);
    expect(plan.addedLatencyMs.p99).toBeGreaterThan(100);
    expect(plan.addedLatencyMs.p99).toBeLessThanOrEqual(500);
  });

  it("sizes instances by Little's law", () => {
    expect(planVariant('s', 'cold', [1000], { ...input(50, 60), serviceMs: 200, concurrency: 4 }).instances).toBe(3);
  });
});

describe('plan command', () => {
  it('prints every variant with the model, and warns that fallback starts are left out', async () => {
    const { readFileSync, mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { runCli } = await import('../../../src/cli/main.js');
    const fixture = path.resolve(__dirname, '../../fixtures/results/pingperf-3-variants.json');
    const results = JSON.parse(readFileSync(fixture, 'utf8')) as {
      runs: Array<{ variant: string; warmup: boolean; status: string }>;
    };
    const victim = results.runs.find((r) => r.variant === 'afterAppStart' && !r.warmup);
    if (victim) victim.status = 'fallback';
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ib-plan-')), 'r.json');
    writeFileSync(file, JSON.stringify(results));
    const out: string[] = [];
    const err: string[] = [];
    expect(
      await runCli(['plan', file], {
        out: (t) => out.push(t),
        err: (t) => err.push(t),
        cwd: '/',
        env: {},
        interactive: false,
      }),
    ).toBe(0);
    const table = out.join('\n');
    expect(table).toMatch(/^Model: Poisson arrivals/);
    for (const v of ['cold', 'beforeAppStart', 'afterAppStart'])
      expect(table).toMatch(
        new RegExp(
          `\\| pingperf \\| ${v} \\| \\d+ \\| [\\d.]+% \\| [\\d.]+ \\| \\d+ ms \\| \\d+ ms \\| \\d+ ms \\| \\d+ \\| \\d+ \\| \\d+% \\| (any|≥ \\d+ s) \\|`,
        ),
      );
    expect(err.join('\n')).toMatch(
      /left out of the plan[\s\S]*pingperf\/afterAppStart: 1 of \d+ not ok \(fallback 1\)/,
    );
  });
});

describe("the report's scale-to-zero chart is what plan computes", () => {
  it('every point equals plan --arrival-rate SWEEP_RATE_PER_S --idle-timeout S on the same file', async () => {
    const { readFileSync } = await import('node:fs');
    const { runCli } = await import('../../../src/cli/main.js');
    const { idleTimeoutSweep, SWEEP_RATE_PER_S } = await import('../../../src/plan/timeout-sweep.js');
    const { groupKeys } = await import('../../../src/stats/analyze.js');
    const file = 'test/fixtures/results/pingperf-3-variants.json';
    const results = JSON.parse(readFileSync(file, 'utf8')) as import('../../../src/results/types.js').ResultsFile;
    const points = idleTimeoutSweep(results.runs, groupKeys(results)).filter((p) => p.idleTimeoutS === 60);
    expect(points).toHaveLength(3);
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: () => {}, cwd: process.cwd(), env: {}, interactive: false };
    expect(
      await runCli(['plan', file, '--arrival-rate', String(SWEEP_RATE_PER_S), '--idle-timeout', '60', '--json'], io),
    ).toBe(0);
    const plan = JSON.parse(out.join('\n')) as {
      plans: Array<{ variant: string; coldShare: number; addedLatencyMs: { p99: number } }>;
    };
    for (const p of points) {
      const row = plan.plans.find((r) => r.variant === p.variant);
      expect(row?.addedLatencyMs.p99).toBeCloseTo(p.p99, 6);
      expect(row?.coldShare).toBeCloseTo(p.coldShare, 9);
    }
  });
});
