import { describe, expect, it } from 'vitest';
import { formatCpuList, parseCpuList, planCpus } from '../../../src/core/cpu-list.js';

describe('CPU lists', () => {
  it('parses and formats Linux CPU lists', () => {
    expect(parseCpuList('0-2,5')).toEqual([0, 1, 2, 5]);
    expect(parseCpuList(' 3 ')).toEqual([3]);
    expect(formatCpuList([5, 0, 1, 2, 2])).toBe('0-2,5');
  });

  it('rejects malformed lists with the offending part named', () => {
    expect(() => parseCpuList('1-a')).toThrow(/"1-a" is not N or N-M/);
    expect(() => parseCpuList('3-1')).toThrow(/runs backwards/);
  });

  it('puts the server on the last CPU and the harness on the others by default', () => {
    expect(planCpus([0, 1])).toEqual({ server: [1], harness: [0] });
  });

  it('refuses CPUs that do not exist', () => {
    expect(() => planCpus([0, 1], '2')).toThrow(/CPU 2 does not exist \(online: 0-1\)/);
  });

  it('lets the harness share when the server takes every CPU', () => {
    expect(planCpus([0, 1], '0-1')).toEqual({ server: [0, 1], harness: [0, 1] });
  });
});
