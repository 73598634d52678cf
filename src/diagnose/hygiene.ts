import { hygieneFindings, type HygieneFinding } from '../results/hygiene.js';
import type { ResultsFile } from '../results/types.js';
import type { Case } from './cases.js';
import type { Signature } from './signatures.js';

/** What each kind of hygiene finding means; the finding's own remedy is the one to follow. */
const EXPLAINED: Record<HygieneFinding['kind'], Omit<Signature, 'patterns' | 'remedy'>> = {
  secret: {
    id: 'hygiene-secret',
    title: 'the checkpoint holds a secret',
    cause:
      'a checkpoint is a copy of the server process and of the files it wrote, pushed to a registry and pulled ' +
      'wherever it runs: whatever the checkpoint run was given (an environment variable, a mounted file) or read ' +
      'before the checkpoint is readable by anyone who can pull the image (OpenLiberty/open-liberty#27413)',
  },
  entropy: {
    id: 'hygiene-shared-random',
    title: 'restores of one checkpoint answered the entropy probe alike',
    cause:
      'every instance restored from one checkpoint starts with the same memory, so a random generator seeded ' +
      'before the checkpoint hands out the same numbers in every instance (session ids, nonces, tokens) unless the ' +
      'runtime reseeds it at restore (eclipse-openj9/openj9#13633, openjdk/crac#7)',
  },
  clocks: {
    id: 'hygiene-clocks',
    title: "the restored server's clocks disagree with the host's",
    cause:
      'a restored JVM keeps what it knew at the checkpoint: its start time and uptime count the time before the ' +
      'checkpoint and the time the image waited, and timers set before it may fire late or at once ' +
      '(eclipse-openj9/openj9#15417, openjdk/crac#221, spring-framework#34177)',
  },
};

/** One case per hygiene finding of a results file, explained like a failure signature. */
export function diagnoseHygiene(results: Pick<ResultsFile, 'checkpoints'>): Case[] {
  return hygieneFindings(results).map((f) => ({
    what: `${f.checkpoint}: what the checkpoint carries`,
    findings: [{ signature: { ...EXPLAINED[f.kind], patterns: [], remedy: f.remedy }, evidence: [f.message] }],
    telling: [],
  }));
}
