import { describe, expect, it } from 'vitest';
import { parseProcStatus, readProcStatus } from '../../../src/engine/proc.js';

describe('parseProcStatus', () => {
  it('reads VmRSS, VmHWM and Cpus_allowed_list', () => {
    const text = 'Name:\tjava\nVmHWM:\t  270000 kB\nVmRSS:\t  261234 kB\nCpus_allowed:\t2\nCpus_allowed_list:\t1\n';
    expect(parseProcStatus(text)).toEqual({ vmRssKb: 261234, vmHwmKb: 270000, cpusAllowedList: '1' });
  });

  it('reads this process for real', async () => {
    const status = await readProcStatus(process.pid);
    expect(status?.vmRssKb).toBeGreaterThan(1000);
    expect(status?.cpusAllowedList).toMatch(/^\d/);
  });
});
