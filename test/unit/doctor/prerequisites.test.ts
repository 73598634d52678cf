import { describe, expect, it } from 'vitest';
import { criuTooOld, kernelFeatures } from '../../../src/doctor/prerequisites.js';

describe('CRIU against the kernel', () => {
  it('flags CRIU older than 4.2 on Linux 6.16 and newer', () => {
    expect(criuTooOld('Version: 4.1.1', '6.18.44')).toMatch(/SO_PASSCRED/);
    expect(criuTooOld('Version: 3.17.1', '6.18.44')).toMatch(/vDSO/);
    expect(criuTooOld('Version: 4.2.1', '6.18.44')).toBeUndefined();
    expect(criuTooOld('Version: 4.1', '6.1.0')).toBeUndefined();
  });

  it('reports the kernel features CRIU needs', async () => {
    const byName = Object.fromEntries((await kernelFeatures('6.18.44')).map((c) => [c.name, c.level]));
    expect(byName.clone3).toBe('ok');
    expect(byName.rseq).toBe('ok');
    expect((await kernelFeatures('5.10.0')).find((c) => c.name === 'rseq')?.level).toBe('warn');
  });
});
