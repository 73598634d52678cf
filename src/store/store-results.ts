import type { ResultsFile } from '../results/types.js';
import { addResults, type AddOutcome } from './add.js';
import { openStore } from './open.js';

export interface ResultsToStore {
  readonly results: ResultsFile;
  readonly file: string;
  /** --label given now; the file's own labels (run --label) are used where these are silent. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly report?: string;
}

/** Add results files to the store at `url`, one transaction each; one line per file through `say`. */
export async function storeResults(
  url: string,
  entries: readonly ResultsToStore[],
  say: (line: string) => void,
  command: string,
): Promise<AddOutcome[]> {
  const store = await openStore(url, { say, command });
  try {
    const out: AddOutcome[] = [];
    for (const e of entries) {
      const labels = { ...(e.results.config.labels ?? {}), ...(e.labels ?? {}) };
      const outcome = await addResults(store.sql, e.results, labels, {
        file: e.file,
        ...(e.report ? { report: e.report } : {}),
      });
      say(
        outcome.added
          ? `${e.file}: added as build ${outcome.build} (${outcome.starts} starts, ${outcome.points} series points) to ` +
              `the ${store.describe}`
          : outcome.overlaps
            ? `${e.file}: not added: ${outcome.overlaps}`
            : `${e.file}: already in the ${store.describe} (added ${outcome.addedAt} as build ${outcome.build}): ` +
              'nothing added',
      );
      out.push(outcome);
    }
    return out;
  } finally {
    await store.close();
  }
}

/** Open the store once (creating or migrating it) so that a run learns a bad --store before it measures. */
export async function checkStore(url: string, say: (line: string) => void): Promise<void> {
  const store = await openStore(url, { say, command: 'run' });
  await store.close();
  say(`the finished run will be added to the ${store.describe}`);
}
