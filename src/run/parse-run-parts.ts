import { DEFAULT_MAX_RUNS, DEFAULT_RUNS, MAX_RAMP_UP_S, MAX_RUNS } from './defaults.js';
import type { RunInput } from './run-input.js';
import { isBaselineVariant, provesRestore, type Variant } from '../scenario/variants.js';
import { existsSync } from 'node:fs';
import { checkGuestName, guestRecordPath } from '../hosts/guest-store.js';
import { MAX_LOAD_CONCURRENCY } from '../scenario/schema.js';
import { RESTORE_HOSTS, restoreHost } from '../measure/restore-hosts.js';
import { UsageError } from '../core/errors.js';
import { RECOMMENDED_ARM_ROUNDS } from '../stats/compare.js';
import { parseIntegerOption } from './parse-options.js';
import { parseSequential } from './parse-gate.js';

/** How many starts: --runs (or the sequential design's), --max-runs, --target-ci. */
export function parseRunCounts(
  input: RunInput,
  sequential: ReturnType<typeof parseSequential>,
): { targetCiPct?: number; runs: number; maxRuns: number } {
  const targetCiPct =
    input.targetCi === undefined ? undefined : parseIntegerOption('--target-ci', input.targetCi, 0, 1, 100);
  if (input.maxRuns !== undefined && targetCiPct === undefined && sequential === undefined)
    throw new UsageError(
      `--max-runs ${input.maxRuns} without --target-ci: without a target every variant gets exactly --runs starts`,
      'add --target-ci PCT (more runs until each interval is that narrow, up to --max-runs), or pass --runs N instead',
    );
  // A/B arms are paired by round: a gate on them needs more rounds than one file needs runs.
  const runs =
    sequential?.minRounds ??
    parseIntegerOption(
      '--runs',
      input.runs,
      input.arm && input.arm.length > 0 ? RECOMMENDED_ARM_ROUNDS : DEFAULT_RUNS,
      1,
      MAX_RUNS,
    );
  const maxRuns =
    sequential?.maxRounds ??
    parseIntegerOption('--max-runs', input.maxRuns, Math.max(runs, DEFAULT_MAX_RUNS), 1, MAX_RUNS);
  if (maxRuns < runs)
    throw new UsageError(
      `--max-runs ${maxRuns} is below --runs ${runs}`,
      'pass a --max-runs at least as large as --runs',
    );
  return { ...(targetCiPct !== undefined ? { targetCiPct } : {}), runs, maxRuns };
}

/** --ramp-up and its concurrency. */
export function parseRamp(input: RunInput): { rampUpS?: number; rampConcurrency?: number } {
  const rampUpS =
    input.rampUp === undefined ? undefined : parseIntegerOption('--ramp-up', input.rampUp, 0, 1, MAX_RAMP_UP_S);
  const rampConcurrency =
    input.rampConcurrency === undefined
      ? undefined
      : parseIntegerOption('--ramp-concurrency', input.rampConcurrency, 0, 1, MAX_LOAD_CONCURRENCY);
  if (rampConcurrency !== undefined && rampUpS === undefined)
    throw new UsageError(
      '--ramp-concurrency without --ramp-up: there is no load to run',
      'add --ramp-up SECONDS, e.g. --ramp-up 30',
    );
  return {
    ...(rampUpS !== undefined ? { rampUpS } : {}),
    ...(rampConcurrency !== undefined ? { rampConcurrency } : {}),
  };
}

/** --cold-state, which only the cold variant takes. */
export function parseColdState(input: RunInput, variants: readonly Variant[]): 'primed' | 'clean' {
  const coldState = input.coldState ?? 'primed';
  if (coldState !== 'primed' && coldState !== 'clean')
    throw new UsageError(
      `--cold-state ${coldState}: unknown state`,
      'use --cold-state primed (default: the work area primed at build time, as tuned images ship) or --cold-state ' +
        'clean (a truly first start: Liberty --clean, -Xshare:off)',
    );
  if (coldState === 'clean' && !variants.some(isBaselineVariant))
    throw new UsageError(
      '--cold-state clean changes only the cold variant, which --variants leaves out',
      'add cold to --variants, or drop --cold-state',
    );
  return coldState;
}

/** Where restores run: --restore-on a guest that exists, or --restore-host an emulated host; not both. */
export function checkRestorePlace(input: RunInput, variants: readonly Variant[]): void {
  if (input.restoreOn !== undefined) {
    checkGuestName(input.restoreOn, '--restore-on');
    if (!existsSync(guestRecordPath(input.restoreOn)))
      throw new UsageError(
        `--restore-on ${input.restoreOn}: no such guest`,
        `make it first: instanton-bench hosts vm create ${input.restoreOn} --cpu Nehalem (hosts vm list shows the guests)`,
      );
    if (input.restoreHost !== undefined)
      throw new UsageError(
        '--restore-on with --restore-host: a guest is its own host, nothing to emulate in it',
        'choose one of them',
      );
    if (!variants.some(provesRestore))
      throw new UsageError(
        '--restore-on: the run measures no InstantOn variant, so nothing is restored in the guest',
        'add beforeAppStart or afterAppStart to --variants',
      );
  }
  if (input.restoreHost !== undefined) {
    if (!restoreHost(input.restoreHost))
      throw new UsageError(
        `--restore-host ${input.restoreHost}: unknown restore host`,
        `use one of: ${RESTORE_HOSTS.map((p) => p.name).join(', ')}`,
      );
    if (input.privileged)
      throw new UsageError(
        '--restore-host with --privileged: a privileged container has no seccomp filter or capability set to emulate',
        'drop --privileged (restores run with the least privilege by default)',
      );
  }
}
