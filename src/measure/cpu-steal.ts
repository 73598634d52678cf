import { readIfExists } from '../core/read-if-exists.js';

/**
 * CPU time of the server CPUs from the cpuN lines of /proc/stat (proc(5)), in ms since boot:
 * - steal (the 8th column): time the hypervisor ran something else on our virtual CPUs. On a
 *   shared VM a start that overlaps steal is slowed by the host, not by the server: recorded
 *   per start so such starts can be named.
 * - busy (user, nice, system, irq, softirq): set against the CPU time of the start's own
 *   processes (its container's cgroup and the podman client), the rest is CPU time that was
 *   not ours: foreign load on the server CPUs during the start.
 */
export const USER_HZ = 100; // /proc/stat counts in USER_HZ ticks, 100 on every Linux ABI in use

const STEAL_COLUMNS = [7];
const BUSY_COLUMNS = [0, 1, 2, 5, 6];

/** The sum of some columns of the named CPUs' lines, in ms; undefined when a CPU or column is missing. */
function sumColumnsMs(procStat: string, cpus: readonly number[], columns: readonly number[]): number | undefined {
  let ticks = 0;
  let found = 0;
  for (const line of procStat.split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m || !cpus.includes(Number(m[1]))) continue;
    const fields = (m[2] as string).trim().split(/\s+/).map(Number);
    const values = columns.map((c) => fields[c]);
    if (values.some((v) => v === undefined || !Number.isFinite(v))) return undefined;
    ticks += values.reduce((a: number, b) => a + (b as number), 0);
    found += 1;
  }
  return found === cpus.length ? (ticks * 1000) / USER_HZ : undefined;
}

export const parseStealMs = (procStat: string, cpus: readonly number[]): number | undefined =>
  sumColumnsMs(procStat, cpus, STEAL_COLUMNS);
export const parseBusyMs = (procStat: string, cpus: readonly number[]): number | undefined =>
  sumColumnsMs(procStat, cpus, BUSY_COLUMNS);

export interface CpuTimes {
  readonly stealMs?: number;
  readonly busyMs?: number;
}

/** Steal and busy time of the CPUs from one read of /proc/stat. */
export async function readCpuTimes(cpus: readonly number[], file = '/proc/stat'): Promise<CpuTimes> {
  const text = await readIfExists(file);
  if (text === undefined) return {};
  const stealMs = parseStealMs(text, cpus);
  const busyMs = parseBusyMs(text, cpus);
  return { ...(stealMs !== undefined ? { stealMs } : {}), ...(busyMs !== undefined ? { busyMs } : {}) };
}

export async function readStealMs(cpus: readonly number[], file = '/proc/stat'): Promise<number | undefined> {
  return (await readCpuTimes(cpus, file)).stealMs;
}

/** Busy time of every online CPU that is not the server's, and this process's own CPU time, both in ms. */
export interface HarnessCpuTime {
  readonly busyMs: number;
  readonly ownMs: number;
}

/** The harness CPUs' busy time (every CPU of /proc/stat but the server's) and this process's CPU time, now. */
export async function harnessCpuTime(
  serverCpus: readonly number[],
  file = '/proc/stat',
): Promise<HarnessCpuTime | undefined> {
  const text = await readIfExists(file);
  if (text === undefined) return undefined;
  const others = [...text.matchAll(/^cpu(\d+)\s/gm)].map((m) => Number(m[1])).filter((c) => !serverCpus.includes(c));
  if (others.length === 0) return undefined;
  const busyMs = parseBusyMs(text, others);
  if (busyMs === undefined) return undefined;
  const own = process.cpuUsage();
  return { busyMs, ownMs: (own.user + own.system) / 1000 };
}

/** CPU time on the harness CPUs since `before` that was not this process's (podman, conmon, runc, a neighbour). */
export function harnessOtherSince(
  before: HarnessCpuTime | undefined,
  after: HarnessCpuTime | undefined,
): number | undefined {
  if (!before || !after) return undefined;
  return Math.round(Math.max(0, after.busyMs - before.busyMs - (after.ownMs - before.ownMs)) * 10) / 10;
}
