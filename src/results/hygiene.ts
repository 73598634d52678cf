import type { CheckpointHygiene, CheckpointRecord, ResultsFile } from './types.js';

/** One finding of a checkpoint's hygiene, as the summary, the report, diagnose and --hygiene fail see it. */
export interface HygieneFinding {
  readonly checkpoint: string;
  readonly kind: 'secret' | 'entropy' | 'clocks';
  readonly message: string;
  readonly remedy: string;
}

export const checkpointLabel = (c: CheckpointRecord): string =>
  `${c.scenario}${c.arm !== undefined ? ` ${c.arm}` : ''} ${c.phase}`;

export const ENTROPY_REMEDY =
  'reseed at restore: a post-restore hook that reseeds (or recreates) every generator created before the ' +
  'checkpoint, or create them after it (lazily, on first use); the OpenJ9 base reseeds java.util.Random and ' +
  'serves only stateless SecureRandoms before a checkpoint, and so does the local base (README: "What a checkpoint carries")';
export const CLOCKS_REMEDY =
  'measure time since the restore, not since the JVM started: the restore time (workarea/checkpoint/restoreTime, or a ' +
  "post-restore hook) is the start a restored server's uptime and timers should count from";

/** Every finding of every checkpoint of a results file. */
export function hygieneFindings(results: Pick<ResultsFile, 'checkpoints'>): HygieneFinding[] {
  return results.checkpoints.flatMap((c) => {
    const h = c.hygiene;
    if (!h) return [];
    const checkpoint = checkpointLabel(c);
    return [
      ...h.secrets.findings.map((f) => ({
        checkpoint,
        kind: 'secret' as const,
        message: `${f.secret} is in ${f.where.join(', ')}`,
        remedy: f.remedy,
      })),
      ...(h.entropy?.status === 'finding'
        ? [{ checkpoint, kind: 'entropy' as const, message: h.entropy.detail, remedy: ENTROPY_REMEDY }]
        : []),
      ...(h.clocks?.status === 'finding'
        ? [{ checkpoint, kind: 'clocks' as const, message: h.clocks.detail, remedy: CLOCKS_REMEDY }]
        : []),
    ];
  });
}

const statusWord = (s: CheckpointHygiene['secrets']['status']): string =>
  s === 'finding' ? 'FINDING' : s === 'clean' ? 'clean' : 'not checked';

/** One line per check of each checkpoint: "pingperf afterAppStart: secrets clean (...)". */
export function hygieneLines(results: Pick<ResultsFile, 'checkpoints'>): string[] {
  return results.checkpoints.flatMap((c) => {
    const h = c.hygiene;
    if (!h) return [];
    const checks: Array<[string, CheckpointHygiene['secrets'] | CheckpointHygiene['entropy']]> = [
      ['secrets', h.secrets],
      ['random state', h.entropy],
      ['clocks', h.clocks],
    ];
    return checks
      .filter((x): x is [string, NonNullable<(typeof x)[1]>] => x[1] !== undefined)
      .map(([what, check]) => `${checkpointLabel(c)}: ${what} ${statusWord(check.status)}: ${check.detail}`);
  });
}
