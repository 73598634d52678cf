import { ResultsFileError } from '../core/errors.js';
import { readResults } from '../results/read.js';
import type { PlannedStart, ResultsFile } from '../results/types.js';
import { startKey } from '../results/keys.js';
import { checkPlanSealed } from '../results/plan-digest.js';

export interface ResumeState {
  readonly file: string;
  readonly results: ResultsFile;
  /** Planned starts not yet in the file, in plan order. */
  readonly remaining: PlannedStart[];
}

/** What is left of an interrupted run: the stored configuration and plan, finished starts kept. */
export async function loadResume(file: string): Promise<ResumeState> {
  const results = await readResults(file);
  if (results.state === 'complete') {
    throw new ResultsFileError(
      `${file}: state: the run already completed; nothing to resume`,
      'start a new run with --out another.json',
    );
  }
  if (results.config.merged)
    throw new ResultsFileError(
      `${file}: config.merged: a file merged from shards cannot be resumed`,
      'resume the shard that is missing rounds (run --resume SHARD.json on its host), then merge again',
    );
  checkPlanSealed(file, results.config);
  const done = new Set(results.runs.map(startKey));
  const remaining = results.config.order.filter((p) => !done.has(startKey(p)));
  return { file, results, remaining };
}
