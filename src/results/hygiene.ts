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

/**
 * The entropy verdict of a checkpoint from its restores' answers to the scenario's entropy probe (verified
 * restores only, warm-ups included: each is an instance): at least two are needed; answers alike are a finding.
 */
export function entropyCheck(
  results: Pick<ResultsFile, 'runs'>,
  c: CheckpointRecord,
  probePath: string | undefined,
): NonNullable<CheckpointHygiene['entropy']> {
  if (probePath === undefined)
    return {
      status: 'not-checked',
      detail: 'the scenario names no entropy probe ("probes": {"entropy": {"path": ...}} in scenario.json)',
    };
  const restores = results.runs.filter(
    (r) =>
      r.scenario === c.scenario &&
      r.arm === c.arm &&
      r.variant === c.phase &&
      r.status === 'ok' &&
      r.restore?.verified === true &&
      r.guest === undefined,
  );
  const digests = restores.flatMap((r) => (r.probes?.entropy?.digest ? [r.probes.entropy.digest] : []));
  const failed = restores.length - digests.length;
  const failedNote = failed > 0 ? `; ${failed} restore(s) gave no answer to GET ${probePath}` : '';
  if (digests.length < 2)
    return {
      status: 'not-checked',
      detail:
        `${digests.length} verified restore(s) answered GET ${probePath}; two are needed (run --runs 2 ` +
        `or more)${failedNote}`,
      path: probePath,
      restores: digests.length,
    };
  const distinct = new Set(digests).size;
  return distinct === digests.length
    ? {
        status: 'clean',
        detail: `${digests.length} restores answered GET ${probePath} with ${distinct} different answers${failedNote}`,
        path: probePath,
        restores: digests.length,
        distinct,
      }
    : {
        status: 'finding',
        detail:
          `${digests.length} restores answered GET ${probePath} with only ${distinct} different answer(s): instances ` +
          `restored from this checkpoint share random state${failedNote}`,
        path: probePath,
        restores: digests.length,
        distinct,
      };
}
