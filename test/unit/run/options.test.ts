import { describe, expect, it } from 'vitest';
import { resolveRunOptions } from '../../../src/run/options.js';

const now = new Date('2026-11-21T23:00:00.123Z');

describe('resolveRunOptions', () => {
  it('fills the defaults', () => {
    const o = resolveRunOptions({}, '/w', now);
    expect(o).toMatchObject({ scenarios: ['pingperf'], variants: ['cold', 'beforeAppStart', 'afterAppStart'], runs: 10, warmup: 1, pin: 'taskset', seed: 1, profile: 'local' });
    expect(o.out).toBe('/w/results/run-2026-11-21T23-00-00Z.json');
  });

  it('does not mutate its input', () => {
    const input = Object.freeze({ scenario: Object.freeze(['pingperf', 'pingperf']), runs: '2' });
    expect(resolveRunOptions(input, '/w', now).scenarios).toEqual(['pingperf']);
  });

  it.each([
    [{ runs: '0' }, '--runs 0: must be between 1 and 10000'],
    [{ runs: 'three' }, '--runs three: expected a whole number'],
    [{ warmup: '-1' }, '--warmup -1: must be between 0 and 10000'],
    [{ variants: 'lukewarm' }, 'unknown variant "lukewarm"'],
    [{ variants: ',' }, '--variants is empty'],
    [{ pin: 'numactl' }, '--pin numactl: unknown method'],
    [{ seed: '1.5' }, '--seed 1.5: expected a whole number'],
    [{ profile: 'other' }, 'unknown profile "other"'],
  ])('rejects %j', (input, message) => {
    expect(() => resolveRunOptions(input, '/w', now)).toThrow(message);
  });
});
