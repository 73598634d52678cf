import { makeDirs } from '../core/output-paths.js';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { isAlive, processStartTicks } from '../core/process-identity.js';

/**
 * One writer per results file: `FILE.lock` holds the writer's pid and start time. A lock whose
 * process is gone (a killed run) is taken over; a live one refuses the second writer, so two
 * runs never interleave their starts into one file and a `--resume` never races its own run.
 */
export interface ResultsLock {
  readonly file: string;
  release(): Promise<void>;
}

interface LockBody {
  readonly pid: number;
  readonly startTicks: number;
  readonly owner: string;
  readonly since: string;
}

export const lockPathFor = (resultsFile: string): string => `${resultsFile}.lock`;

export async function lockResults(resultsFile: string, owner: string): Promise<ResultsLock> {
  const file = lockPathFor(resultsFile);
  await makeDirs(path.dirname(file));
  const body: LockBody = {
    pid: process.pid,
    startTicks: (await processStartTicks(process.pid)) ?? 0,
    owner,
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await writeFile(file, JSON.stringify(body), { flag: 'wx' });
      return { file, release: async () => rm(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // Unreadable or half-written (its writer died mid-write): treated as a stale lock and taken over.
    const held = await readFile(file, 'utf8')
      .then((t) => JSON.parse(t) as LockBody)
      .catch(() => undefined);
    if (held && typeof held.pid === 'number' && (await isAlive(held))) {
      throw new UsageError(
        `${resultsFile}: another instanton-bench run (pid ${held.pid}, since ${held.since}) is writing this results ` +
          `file`,
        'wait for that run to finish (or stop it), or pass another --out',
      );
    }
    await rm(file, { force: true }); // left by a killed run: take it over
  }
  throw new UsageError(
    `${resultsFile}: could not take the lock ${file}`,
    `remove ${file} if no instanton-bench run is writing ${resultsFile}`,
  );
}
