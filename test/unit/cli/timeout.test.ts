import { describe, expect, it } from 'vitest';
import { sizedTimeoutMs } from '../../../src/run/start-spec.js';
import type { RunRecord } from '../../../src/results/types.js';

const run = (variant: string, firstResponseMs: number, status: RunRecord['status'] = 'ok'): RunRecord =>
  ({ scenario: 's', variant, status, metrics: { firstResponseMs } }) as unknown as RunRecord;

describe('sizedTimeoutMs', () => {
  it("uses the scenario's timeout until a cold start was measured", () => {
    expect(sizedTimeoutMs([], 's', 180_000)).toBe(180_000);
    expect(sizedTimeoutMs([run('afterAppStart', 900)], 's', 180_000)).toBe(180_000);
  });

  it('then four times the slowest cold start, within [30 s, scenario timeout]', () => {
    expect(sizedTimeoutMs([run('cold', 9_000), run('cold', 12_000)], 's', 180_000)).toBe(48_000);
    expect(sizedTimeoutMs([run('cold', 2_000)], 's', 180_000)).toBe(30_000);
    expect(sizedTimeoutMs([run('cold', 60_000)], 's', 180_000)).toBe(180_000);
    expect(sizedTimeoutMs([run('cold', 9_000, 'timed-out')], 's', 180_000)).toBe(180_000);
  });
});
