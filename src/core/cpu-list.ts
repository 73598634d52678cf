import { readIfExists } from './read-if-exists.js';
import os from 'node:os';
import { PinningError } from './errors.js';

/** Linux's largest CONFIG_NR_CPUS is 8192: CPU numbers are below it. */
export const MAX_CPU_NUMBER = 8191;

/** Parse a Linux CPU list ("0-2,5") into sorted unique CPU numbers. */
export function parseCpuList(text: string): number[] {
  const cpus = new Set<number>();
  for (const part of text.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m)
      throw new PinningError(
        `bad CPU list "${text}": "${part}" is not N or N-M`,
        'write CPU lists like 1 or 0-1 or 2,3',
      );
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo)
      throw new PinningError(`bad CPU list "${text}": range ${part} runs backwards`, 'write ranges low-high, like 2-3');
    if (hi > MAX_CPU_NUMBER)
      throw new PinningError(
        `bad CPU list "${text}": CPU ${hi} is beyond any Linux CPU number (at most ${MAX_CPU_NUMBER})`,
        'name CPUs this machine has (see /sys/devices/system/cpu/online)',
      );
    for (let c = lo; c <= hi; c += 1) cpus.add(c);
  }
  return [...cpus].sort((a, b) => a - b);
}

/** Canonical form: consecutive CPUs as ranges. */
export function formatCpuList(cpus: readonly number[]): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j += 1;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

export async function onlineCpus(): Promise<number[]> {
  const text = (await readIfExists('/sys/devices/system/cpu/online')) ?? '';
  if (text.trim()) return parseCpuList(text);
  return Array.from({ length: os.availableParallelism() }, (_, i) => i);
}

export interface CpuPlan {
  readonly server: number[];
  /** Where the harness (and later, databases) run: the online CPUs not given to the server. */
  readonly harness: number[];
}

/** Default: the server on the last CPU, the harness on the others. */
export function planCpus(online: readonly number[], requested?: string): CpuPlan {
  const server = requested === undefined ? [online[online.length - 1] as number] : parseCpuList(requested);
  const missing = server.filter((c) => !online.includes(c));
  if (missing.length > 0) {
    throw new PinningError(
      `--server-cpus ${requested}: CPU ${missing.join(', ')} does not exist (online: ${formatCpuList(online)})`,
      `choose CPUs from ${formatCpuList(online)}`,
    );
  }
  const harness = online.filter((c) => !server.includes(c));
  return { server, harness: harness.length > 0 ? harness : [...online] };
}
