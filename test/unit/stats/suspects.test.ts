import { describe, expect, it } from 'vitest';
import { findSuspects } from '../../../src/stats/summary.js';
import type { RunRecord } from '../../../src/results/types.js';

const start = (variant: string, iteration: number, readyMs: number): RunRecord =>
  ({
    scenario: 's',
    variant,
    iteration,
    warmup: false,
    status: 'ok',
    metrics: { readyMs },
  }) as unknown as RunRecord;

describe('findSuspects: restores slower than half the cold median', () => {
  it("names an afterAppStart restore slower than half a cold start, never a beforeAppStart one (the application's own start follows it)", () => {
    const runs = [
      start('cold', 1, 36_000),
      start('cold', 2, 37_000),
      start('beforeAppStart', 1, 35_500),
      start('afterAppStart', 1, 1_250),
      start('afterAppStart', 2, 20_000),
    ];
    expect(findSuspects(runs)).toEqual([
      'suspect: s afterAppStart run 2 was ready in 20000 ms, slower than half the cold median (18250 ms)',
    ]);
  });
});
