import { readIfExists } from '../core/read-if-exists.js';
import { USER_HZ } from './cpu-steal.js';

/**
 * CPU time spent on some CPUs by anything (user, nice, system, irq, softirq columns of the
 * cpuN lines of /proc/stat, proc(5)), in ms since boot. Set against the CPU time of the start's
 * own processes (its container's cgroup and the podman client), the rest is CPU time that was
 * not ours: foreign load on the server CPUs during the start.
 */
export function parseBusyMs(procStat: string, cpus: readonly number[]): number | undefined {
  let ticks = 0;
  let found = 0;
  for (const line of procStat.split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m || !cpus.includes(Number(m[1]))) continue;
    const f = (m[2] as string).trim().split(/\s+/).map(Number);
    if (f.length < 7 || f.slice(0, 7).some((x) => !Number.isFinite(x))) return undefined;
    ticks += (f[0] as number) + (f[1] as number) + (f[2] as number) + (f[5] as number) + (f[6] as number);
    found += 1;
  }
  return found === cpus.length ? (ticks * 1000) / USER_HZ : undefined;
}

export async function readBusyMs(cpus: readonly number[], file = '/proc/stat'): Promise<number | undefined> {
  const text = await readIfExists(file);
  return text === undefined ? undefined : parseBusyMs(text, cpus);
}

/** utime + stime of one process (/proc/PID/stat fields 14 and 15), in ms; undefined once it is gone. */
export async function processCpuMs(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  const text = await readIfExists(`/proc/${pid}/stat`);
  if (text === undefined) return undefined;
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(f[11]) + Number(f[12]);
  return Number.isFinite(ticks) ? (ticks * 1000) / USER_HZ : undefined;
}
