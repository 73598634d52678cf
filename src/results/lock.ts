import { UsageError } from '../core/errors.js';
import { takeLease, type Lease } from '../core/lease.js';

/**
 * One writer per results file: `FILE.lock` holds the writer's pid and start time. A lock whose
 * process is gone (a killed run) is taken over; a live one refuses the second writer, so two
 * runs never interleave their starts into one file and a `--resume` never races its own run.
 */
export interface ResultsLock extends Lease {
  readonly file: string;
}

export const lockPathFor = (resultsFile: string): string => `${resultsFile}.lock`;

export async function lockResults(resultsFile: string, owner: string): Promise<ResultsLock> {
  const file = lockPathFor(resultsFile);
  const lease = await takeLease(file, owner, {
    pollMs: 0,
    onHeld: (held) => {
      throw new UsageError(
        `${resultsFile}: another instanton-bench run (pid ${held.pid}, since ${held.since}) is writing this results ` +
          `file`,
        'wait for that run to finish (or stop it), or pass another --out',
      );
    },
  });
  return { file, release: () => lease.release() };
}
