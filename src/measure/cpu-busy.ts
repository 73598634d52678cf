import { readProcStat } from '../core/process-identity.js';
import { readCpuTimes, USER_HZ } from './cpu-steal.js';

export async function readBusyMs(cpus: readonly number[], file = '/proc/stat'): Promise<number | undefined> {
  return (await readCpuTimes(cpus, file)).busyMs;
}

/** utime + stime of one process (/proc/PID/stat), in ms; undefined once it is gone. */
export async function processCpuMs(pid: number | undefined): Promise<number | undefined> {
  const stat = pid === undefined ? undefined : await readProcStat(pid);
  return stat === undefined ? undefined : ((stat.utimeTicks + stat.stimeTicks) * 1000) / USER_HZ;
}
