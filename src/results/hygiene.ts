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
  'serves only stateless SecureRandoms before a checkpoint, and so does the local base (docs/diagnosis.md: "What a checkpoint carries")';
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

/** The verified restores of a checkpoint on this host (guests' are not comparable), warm-ups included. */
function verifiedRestores(results: Pick<ResultsFile, 'runs'>, c: CheckpointRecord): ResultsFile['runs'] {
  return results.runs.filter(
    (r) =>
      r.scenario === c.scenario &&
      r.arm === c.arm &&
      r.variant === c.phase &&
      r.status === 'ok' &&
      r.restore?.verified === true &&
      r.guest === undefined,
  );
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
  const restores = verifiedRestores(results, c);
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
  const parts = partsDistinct(restores.map((r) => r.probes?.entropy?.parts));
  if (parts) {
    const names = Object.keys(parts);
    const shared = names.filter((n) => (parts[n] as number) < digests.length);
    const each = names.map((n) => `${n} ${parts[n]}`).join(', ');
    return shared.length === 0
      ? {
          status: 'clean',
          detail:
            `${digests.length} restores answered GET ${probePath} with ${digests.length} different answers from each ` +
            `of ${names.length} generators (${names.join(', ')})${failedNote}`,
          path: probePath,
          restores: digests.length,
          distinct,
          parts,
        }
      : {
          status: 'finding',
          detail:
            `${digests.length} restores answered GET ${probePath} alike from ${shared.join(', ')} (different answers: ` +
            `${each}): instances restored from this checkpoint share random state${failedNote}`,
          path: probePath,
          restores: digests.length,
          distinct,
          parts,
        };
  }
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

/** Beyond this the server's wall clock (CWWKF0011I's timestamp against when the host saw it) disagrees with the host's. */
export const WALL_SKEW_BOUND_MS = 1000;
/** Beyond this Liberty's own "started in" exceeds the ready time the host measured from the launch. */
export const SELF_REPORT_BOUND_MS = 1000;

/**
 * The clocks of a checkpoint's verified restores against the host's: the server's wall clock (its ready timestamp
 * against when the host saw the line) and Liberty's own "started in" against the measured ready; as a fact, the
 * restored JVM's monotonic offset (CRIU's time namespace: its monotonic clock continues from the checkpoint).
 */
export function clocksCheck(
  results: Pick<ResultsFile, 'runs'>,
  c: CheckpointRecord,
): NonNullable<CheckpointHygiene['clocks']> {
  const restores = verifiedRestores(results, c);
  if (restores.length === 0) return { status: 'not-checked', detail: 'no verified restore to read clocks from' };
  const max = (xs: number[]): number | undefined => (xs.length > 0 ? Math.max(...xs) : undefined);
  const wallSkewMs = max(
    restores.flatMap((r) =>
      r.metrics.readyDetectionLagMs !== undefined ? [Math.abs(r.metrics.readyDetectionLagMs)] : [],
    ),
  );
  const selfExcess = restores.flatMap((r) =>
    r.selfReported.startedSeconds !== undefined && r.metrics.readyMs !== undefined
      ? [r.selfReported.startedSeconds * 1000 - r.metrics.readyMs]
      : [],
  );
  const selfExcessMs = max(selfExcess);
  const negative = restores.some((r) => (r.selfReported.startedSeconds ?? 0) < 0);
  const offsets = restores.flatMap((r) =>
    r.probes?.clocks?.monotonicOffsetMs !== undefined ? [r.probes.clocks.monotonicOffsetMs] : [],
  );
  const monotonicOffsetMs = offsets.length > 0 ? offsets[offsets.length - 1] : undefined;
  const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  const parts = [
    wallSkewMs !== undefined
      ? `the server's wall clock within ${Math.round(wallSkewMs)} ms of the host's (its ready timestamp against when the host saw it)`
      : "the server's wall clock not read (no ready timestamp)",
    selfExcessMs !== undefined
      ? `Liberty's own "started in" ${selfExcessMs > 0 ? `at most ${Math.round(selfExcessMs)} ms over` : 'within'} the ready time measured from the launch`
      : 'no "started in" from Liberty',
    ...(monotonicOffsetMs === undefined
      ? []
      : Math.abs(monotonicOffsetMs) < 50
        ? ["its monotonic clock is the host's (no time namespace offset)"]
        : [
            `its monotonic clock runs ${s(-monotonicOffsetMs)} behind the host's (the time namespace CRIU restored it into)`,
          ]),
  ];
  const bad = (wallSkewMs ?? 0) > WALL_SKEW_BOUND_MS || (selfExcessMs ?? 0) > SELF_REPORT_BOUND_MS || negative;
  return {
    status: bad ? 'finding' : 'clean',
    detail:
      `${restores.length} restore(s): ${parts.join('; ')}` +
      (bad
        ? `; beyond the bounds (wall clock ${WALL_SKEW_BOUND_MS} ms, "started in" ${SELF_REPORT_BOUND_MS} ms over the measured ready${negative ? ', a negative "started in"' : ''})`
        : ''),
    ...(wallSkewMs !== undefined ? { wallSkewMs: Math.round(wallSkewMs) } : {}),
    ...(monotonicOffsetMs !== undefined ? { monotonicOffsetMs } : {}),
  };
}

/** Per named part, the number of different answers over the restores; undefined unless every answer had the same parts. */
function partsDistinct(
  answers: ReadonlyArray<Readonly<Record<string, string>> | undefined>,
): Record<string, number> | undefined {
  const all = answers.filter((a): a is Readonly<Record<string, string>> => a !== undefined);
  if (all.length < 2 || all.length !== answers.length) return undefined;
  // In the answer's own order; every answer must name the same parts.
  const names = Object.keys(all[0] as object);
  const same = [...names].sort().join();
  if (!all.every((a) => Object.keys(a).sort().join() === same)) return undefined;
  return Object.fromEntries(names.map((n) => [n, new Set(all.map((a) => a[n])).size]));
}
