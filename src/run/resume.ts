import type { PlannedStart } from './schedule.js';
import { readResults } from '../results/read.js';
import type { ResultsFile } from '../results/types.js';
import { ResultsFileError } from '../core/errors.js';
import type { RunOptionsInput } from './options.js';

export interface ResumeState {
  readonly results: ResultsFile;
  readonly input: RunOptionsInput;
  /** Planned starts not yet in the file, in plan order. */
  readonly remaining: PlannedStart[];
}

const keyOf = (p: { scenario: string; variant: string; warmup: boolean; iteration: number }): string =>
  `${p.scenario}\u0000${p.variant}\u0000${p.warmup}\u0000${p.iteration}`;

/** What is left of an interrupted run: same plan, same seed, finished starts kept. */
export async function loadResume(file: string, cwd: string): Promise<ResumeState> {
  const results = await readResults(file);
  if (results.state === 'complete') {
    throw new ResultsFileError(`${file}: state: the run already completed; nothing to resume`, 'start a new run with --out another.json');
  }
  const c = results.config;
  const done = new Set(results.runs.map(keyOf));
  const remaining = c.order.filter((p) => !done.has(keyOf(p)));
  const input: RunOptionsInput = {
    scenario: [...(c.scenarioRefs ?? c.scenarios)],
    variants: c.variants.join(','),
    runs: String(c.runs),
    warmup: String(c.warmup),
    seed: String(c.seed),
    pin: c.pin,
    serverCpus: c.serverCpus,
    out: file,
    privileged: c.restoreMode === 'privileged',
    strict: c.strict,
    ...(c.readyTimeoutMs !== undefined ? { readyTimeout: String(c.readyTimeoutMs) } : {}),
  };
  void cwd;
  return { results, input, remaining };
}
