import { listIfExists, readIfExists } from '../core/read-if-exists.js';
import { lstat, readlink } from 'node:fs/promises';

/** What /proc/PID/status says about memory and CPU affinity (read from the host). */
export interface ProcStatus {
  readonly vmRssKb?: number;
  readonly vmHwmKb?: number;
  readonly cpusAllowedList?: string;
}

export function parseProcStatus(text: string): ProcStatus {
  const field = (name: string): string | undefined => new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(text)?.[1]?.trim();
  const kb = (name: string): number | undefined => {
    const v = field(name);
    const m = v ? /^(\d+)\s*kB$/.exec(v) : null;
    return m?.[1] ? Number(m[1]) : undefined;
  };
  const rss = kb('VmRSS');
  const hwm = kb('VmHWM');
  const cpus = field('Cpus_allowed_list');
  return {
    ...(rss !== undefined ? { vmRssKb: rss } : {}),
    ...(hwm !== undefined ? { vmHwmKb: hwm } : {}),
    ...(cpus !== undefined ? { cpusAllowedList: cpus } : {}),
  };
}

export async function readProcStatus(pid: number): Promise<ProcStatus | undefined> {
  const text = await readIfExists(`/proc/${pid}/status`);
  return text === undefined ? undefined : parseProcStatus(text);
}

async function childrenOf(pid: number): Promise<number[]> {
  const tasks = await listIfExists(`/proc/${pid}/task`); // a process gone meanwhile has no children
  const out: number[] = [];
  for (const tid of tasks) {
    const text = (await readIfExists(`/proc/${pid}/task/${tid}/children`)) ?? '';
    for (const c of text.trim().split(/\s+/)) if (c) out.push(Number(c));
  }
  return out;
}

async function commOf(pid: number): Promise<string | undefined> {
  return (await readIfExists(`/proc/${pid}/comm`))?.trim();
}

/** Breadth-first search below a container's init process for the first process named `name`. */
export async function findDescendant(rootPid: number, name: string): Promise<number | undefined> {
  const queue = [rootPid];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    if ((await commOf(pid)) === name) return pid;
    queue.push(...(await childrenOf(pid)));
  }
  return undefined;
}

/**
 * CPU time of the cgroup a process is in, in ms: cgroup v1's cpuacct.usage (ns) or cgroup v2's
 * cpu.stat usage_usec, found through /proc/PID/cgroup (these machines run the hybrid layout).
 */
export async function cgroupCpuMs(pid: number, root = '/sys/fs/cgroup'): Promise<number | undefined> {
  const lines = ((await readIfExists(`/proc/${pid}/cgroup`)) ?? '').split('\n');
  const v1 = lines.map((l) => l.split(':')).find((f) => (f[1] ?? '').split(',').includes('cpuacct'));
  if (v1?.[2] !== undefined) {
    for (const mount of ['cpu,cpuacct', 'cpuacct,cpu', 'cpuacct']) {
      const ns = Number(((await readIfExists(`${root}/${mount}${v1[2]}/cpuacct.usage`)) ?? '').trim());
      if (ns > 0) return ns / 1e6;
    }
  }
  const v2 = lines.map((l) => l.split(':')).find((f) => f[0] === '0' && f[1] === '');
  if (v2?.[2] !== undefined) {
    for (const base of [root, `${root}/unified`]) {
      const stat = (await readIfExists(`${base}${v2[2]}/cpu.stat`)) ?? '';
      const us = Number(/^usage_usec (\d+)/m.exec(stat)?.[1]);
      if (us > 0) return us / 1e3;
    }
  }
  return undefined;
}

/**
 * A path inside a container, as seen from the host through /proc/PID/root, with the
 * container's symlinks resolved inside the container (an absolute link would otherwise point
 * into the host's filesystem). Undefined when a component is missing or links loop.
 */
export async function resolveInRoot(root: string, file: string): Promise<string | undefined> {
  const pending = file.split('/').filter(Boolean);
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '.') continue;
    if (part === '..') {
      done.pop();
      continue;
    }
    const here = `${root}/${[...done, part].join('/')}`;
    let st;
    try {
      st = await lstat(here);
    } catch {
      return undefined;
    }
    if (!st.isSymbolicLink()) {
      done.push(part);
      continue;
    }
    if ((links += 1) > 40) return undefined;
    const target = await readlink(here);
    if (target.startsWith('/')) done.length = 0;
    pending.unshift(...target.split('/').filter(Boolean));
  }
  return `${root}/${done.join('/')}`;
}
