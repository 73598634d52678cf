import { readIfExists } from '../core/read-if-exists.js';
import { readFile } from 'node:fs/promises';

/**
 * Time the hypervisor ran something else on our virtual CPUs ("steal", the 8th column of the
 * cpuN lines of /proc/stat, see proc(5)), in ms. On a shared VM a start that overlaps steal is
 * slowed by the host, not by the server: recorded per start so such starts can be named.
 */
export const USER_HZ = 100; // /proc/stat counts in USER_HZ ticks, 100 on every Linux ABI in use

/** Steal time of the given CPUs, in ms since boot, parsed from /proc/stat text. */
export function parseStealMs(procStat: string, cpus: readonly number[]): number | undefined {
  let ticks = 0;
  let found = 0;
  for (const line of procStat.split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m || !cpus.includes(Number(m[1]))) continue;
    const fields = (m[2] as string).trim().split(/\s+/).map(Number);
    if (fields.length < 8 || !Number.isFinite(fields[7])) return undefined;
    ticks += fields[7] as number;
    found += 1;
  }
  return found === cpus.length ? (ticks * 1000) / USER_HZ : undefined;
}

export async function readStealMs(cpus: readonly number[], file = '/proc/stat'): Promise<number | undefined> {
  const text = await readIfExists(file);
  return text === undefined ? undefined : parseStealMs(text, cpus);
}
