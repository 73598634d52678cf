import { describe, expect, it } from 'vitest';
import { planStarts } from '../../../src/run/schedule.js';

describe('planStarts', () => {
  it('puts warmups first and every pair once per round', () => {
    const plan = planStarts(['a', 'b'], ['cold', 'afterAppStart'], 3, 1, 7);
    expect(plan).toHaveLength(4 + 12);
    expect(plan.slice(0, 4).every((p) => p.warmup)).toBe(true);
    for (let round = 0; round < 3; round += 1) {
      const slice = plan.slice(4 + round * 4, 8 + round * 4);
      expect(new Set(slice.map((p) => `${p.scenario}/${p.variant}`)).size).toBe(4);
      expect(slice.every((p) => p.iteration === round + 1 && !p.warmup)).toBe(true);
    }
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const a = planStarts(['a', 'b', 'c'], ['cold', 'beforeAppStart', 'afterAppStart'], 4, 0, 1);
    expect(planStarts(['a', 'b', 'c'], ['cold', 'beforeAppStart', 'afterAppStart'], 4, 0, 1)).toEqual(a);
    expect(planStarts(['a', 'b', 'c'], ['cold', 'beforeAppStart', 'afterAppStart'], 4, 0, 2)).not.toEqual(a);
  });
});
