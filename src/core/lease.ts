import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isAlive, processStartTicks } from './process-identity.js';
import { makeDirs } from './output-paths.js';

/**
 * A lease on a file: `FILE` holds the holder's pid, process start time (a reused pid is not its holder) and what it
 * does. Taken with `wx`; a lease whose process is gone (killed) or that is unreadable (its writer died mid-write) is
 * taken over. `wait` decides what a live holder means: wait for it (saying so every `remindMs`), or refuse.
 */
export interface LeaseBody {
  readonly pid: number;
  readonly startTicks: number;
  readonly command: string;
  readonly since: string;
}

export interface Lease {
  release(): Promise<void>;
}

export interface LeaseWait {
  /** Called while a live process holds the lease: throw to refuse, return to keep waiting. */
  readonly onHeld: (holder: LeaseBody, firstTime: boolean) => void;
  readonly pollMs: number;
  readonly signal?: AbortSignal;
}

export const LEASE_POLL_MS = 1_000;

export async function takeLease(file: string, command: string, wait: LeaseWait): Promise<Lease> {
  await makeDirs(path.dirname(file));
  const body: LeaseBody = {
    pid: process.pid,
    startTicks: (await processStartTicks(process.pid)) ?? 0,
    command,
    since: new Date().toISOString(),
  };
  let first = true;
  for (;;) {
    try {
      await writeFile(file, JSON.stringify(body), { flag: 'wx' });
      return { release: async () => rm(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const held = await readFile(file, 'utf8')
      .then((t) => JSON.parse(t) as LeaseBody)
      .catch(() => undefined);
    if (!held || typeof held.pid !== 'number' || !(await isAlive(held))) {
      await rm(file, { force: true }); // left by a killed process: take it over
      continue;
    }
    wait.onHeld(held, first);
    first = false;
    if (wait.signal?.aborted) throw new Error('aborted');
    await new Promise((r) => setTimeout(r, wait.pollMs));
  }
}
