import { listIfExists } from '../core/read-if-exists.js';
import { isAlive, processStartTicks } from '../core/process-identity.js';

import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeDirs } from '../core/output-paths.js';

/**
 * Every instanton-bench process that creates containers announces itself here (one JSON file
 * per process, under /run, which a reboot empties), so that other instances can tell a live
 * run from the leftovers of a killed one. A process is identified by its pid and its start
 * time (field 22 of /proc/PID/stat), so a reused pid is not mistaken for the run.
 */
export interface RegistryEntry {
  /** Random id; every container this process creates carries it as LABEL_OWNER. */
  readonly owner: string;
  readonly pid: number;
  /** Clock ticks since boot at which the process started (/proc/PID/stat field 22). */
  readonly startTicks: number;
  /** What the process does: run, build, doctor. */
  readonly command: string;
  readonly startedAt: string;
  /** Results file of a run. */
  readonly out?: string;
  /** Server CPUs of a run. */
  readonly serverCpus?: string;
}

export interface Registration {
  /** The registry directory the entry is in. */
  readonly dir: string;
  readonly entry: RegistryEntry;
  /** Add what the process does once known (results file, CPUs). */
  update(fields: Partial<Pick<RegistryEntry, 'out' | 'serverCpus' | 'command'>>): Promise<void>;
  /** Remove the entry (end of the process). */
  release(): Promise<void>;
}

/** $IB_RUN_DIR (tests), else /run/instanton-bench when writable, else $TMPDIR. */
export function registryDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env.IB_RUN_DIR) return env.IB_RUN_DIR;
  return path.join(env.XDG_RUNTIME_DIR ?? '/run', 'instanton-bench', 'runs');
}

/** Announce this process. */
export async function register(dir: string, command: string): Promise<Registration> {
  const owner = randomBytes(4).toString('hex');
  const startTicks = (await processStartTicks(process.pid)) ?? 0;
  let entry: RegistryEntry = { owner, pid: process.pid, startTicks, command, startedAt: new Date().toISOString() };
  const file = path.join(dir, `${owner}.json`);
  const write = async (): Promise<void> => {
    await makeDirs(dir);
    await writeFile(file, JSON.stringify(entry));
  };
  await write();
  return {
    dir,
    get entry() {
      return entry;
    },
    async update(fields) {
      entry = { ...entry, ...fields };
      await write();
    },
    async release() {
      await rm(file, { force: true });
    },
  };
}

export interface RegistryView {
  readonly live: RegistryEntry[];
  readonly dead: RegistryEntry[];
}

/** Every entry, split into live and dead processes; dead entries are removed from the registry. */
export async function readRegistry(dir: string): Promise<RegistryView> {
  const names = await listIfExists(dir);
  const live: RegistryEntry[] = [];
  const dead: RegistryEntry[] = [];
  for (const n of names.filter((f) => f.endsWith('.json'))) {
    const file = path.join(dir, n);
    let entry: RegistryEntry;
    try {
      entry = JSON.parse(await readFile(file, 'utf8')) as RegistryEntry;
    } catch {
      continue; // being written by its owner right now, or removed meanwhile: not ours to judge
    }
    if (typeof entry.pid !== 'number' || typeof entry.owner !== 'string') continue;
    if (await isAlive(entry)) live.push(entry);
    else {
      dead.push(entry);
      await rm(file, { force: true });
    }
  }
  return { live, dead };
}

/** Live runs other than this process's. */
export async function otherLiveRuns(dir: string, self: string): Promise<RegistryEntry[]> {
  return (await readRegistry(dir)).live.filter((e) => e.owner !== self && e.command === 'run');
}

export function describeEntry(e: RegistryEntry): string {
  const what = [`pid ${e.pid}`, `since ${e.startedAt}`];
  if (e.out) what.push(e.out);
  if (e.serverCpus !== undefined) what.push(`server CPU ${e.serverCpus}`);
  return `${e.command} (${what.join(', ')})`;
}
