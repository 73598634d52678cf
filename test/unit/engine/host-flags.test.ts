import { describe, expect, it } from 'vitest';
import { parseHardLimits, resolveEngineFlags, runFlags } from '../../../src/engine/host-flags.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max processes             96551                96551                processes
Max open files            1024                 20000                files
`;

describe('host flags', () => {
  it('reads the hard limits from /proc/PID/limits', () => {
    expect(parseHardLimits(LIMITS)).toEqual({ nofileHard: 20000, nprocHard: 96551 });
  });

  it('keeps container ulimits at or below the hard limits, with runc', () => {
    const flags = resolveEngineFlags({ nofileHard: 8000, nprocHard: 500 });
    // Every container of the tool's own images: local storage only (a missing image is never pulled).
    expect(runFlags(flags)).toEqual([
      '--pull=never',
      '--runtime',
      'runc',
      '--ulimit',
      'nofile=8000:8000',
      '--ulimit',
      'nproc=500:500',
    ]);
  });
});
