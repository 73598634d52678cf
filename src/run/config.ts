import { isCheckpointPhase } from '../scenario/variants.js';
import { existsSync } from 'node:fs';
import { checkGuestName, guestRecordPath } from '../hosts/guest-store.js';
import type { ImageBase } from '../scenario/types.js';
import { MAX_LOAD_CONCURRENCY } from '../scenario/schema.js';
import path from 'node:path';
import { RESTORE_HOSTS, restoreHost } from '../measure/restore-hosts.js';
import { UsageError } from '../core/errors.js';
import { CRIU_SUITES, type CriuSuite, type PinMethod, type RunConfig, type RunSettings } from '../results/types.js';
import { parseVariantList } from '../scenario/variants.js';
import { parseArms } from './arms.js';
import { MAX_TIMEOUT_MS, MIN_TIMEOUT_MS } from '../scenario/limits.js';
import { DEFAULT_COMPARE_METRICS, DEFAULT_THRESHOLD_PCT, RECOMMENDED_ARM_ROUNDS } from '../stats/compare.js';
import {
  DEFAULT_MAX_ROUNDS,
  DEFAULT_MIN_ROUNDS,
  MIN_SEQUENTIAL_ROUNDS,
  sequentialDesign,
  type SequentialDesign,
  notWorseMarginFor,
} from '../stats/sequential.js';
import { DEFAULT_CHECKPOINT_FLOW } from '../images/build-config.js';
import { parseLabels, storeLocation } from '../store/labels.js';

import { DEFAULT_MAX_RUNS, DEFAULT_RUNS, DEFAULT_SCENARIO, DEFAULT_SEED, DEFAULT_WARMUP } from './defaults.js';
export { DEFAULT_MAX_RUNS, DEFAULT_RUNS, DEFAULT_SCENARIO, DEFAULT_SEED, DEFAULT_WARMUP };
/** Named scenario sets: `blog` is the trio Liberty published InstantOn figures for. */
export const SUITES: Readonly<Record<string, readonly string[]>> = { blog: ['pingperf', 'rest-crud', 'acmeair-main'] };
export const DEFAULT_PIN: PinMethod = 'taskset';
export const MAX_RUNS = 10_000;

/** Raw options as the argument parser gives them (all optional, strings). */
export interface RunInput {
  readonly scenario?: readonly string[];
  readonly suite?: string;
  readonly variants?: string;
  readonly runs?: string;
  readonly warmup?: string;
  readonly serverCpus?: string;
  readonly pin?: string;
  readonly seed?: string;
  readonly out?: string;
  readonly readyTimeout?: string;
  readonly verbose?: boolean;
  readonly profile?: string;
  /** --base local|official. */
  readonly base?: string;
  readonly privileged?: boolean;
  readonly strict?: boolean;
  /** --hygiene report|fail. */
  readonly hygiene?: string;
  readonly failFast?: boolean;
  readonly resume?: string;
  readonly targetCi?: string;
  readonly maxRuns?: string;
  readonly checkpointFlow?: string;
  readonly baseCriu?: string;
  readonly coldState?: string;
  readonly rampUp?: string;
  readonly rampConcurrency?: string;
  readonly allowConcurrent?: boolean;
  /** --arm NAME[:KEY=VALUE,...], repeated. */
  readonly arm?: readonly string[];
  /** --sequential: look after every round from --min-rounds, stop when the gate's answer is known. */
  readonly sequential?: boolean;
  readonly minRounds?: string;
  readonly maxRounds?: string;
  /** --threshold (with --sequential): the gate's threshold in percent. */
  readonly threshold?: string;
  /** --not-worse-margin (with --sequential): the regression "not worse" rules out, in percent. */
  readonly notWorseMargin?: string;
  /** --shard K/N: run shard K of N of the plan (whole rounds). */
  readonly shard?: string;
  /** --restore-host NAME: restore in containers that emulate another host. */
  readonly restoreHost?: string;
  /** --restore-on NAME: the InstantOn starts restore inside this guest (hosts vm create). */
  readonly restoreOn?: string;
  /** --images MANIFEST: measure only the plan's images (images export / images push manifest). */
  readonly images?: string;
  /** --store URL|DIR: add the finished run to a results store (history). */
  readonly store?: string;
  /** --label KEY=VALUE, repeated: what identifies the build (stored in the results file and the store). */
  readonly label?: readonly string[];
}

/** How this invocation runs (not stored: a resume may choose them anew). */
export interface RunSession {
  readonly out: string;
  readonly verbose: boolean;
  readonly failFast: boolean;
  /** --hygiene: 'fail' makes any finding of a checkpoint's hygiene exit 1 (default 'report'). */
  readonly hygiene: 'report' | 'fail';
  readonly allowConcurrent: boolean;
  /** --server-cpus as given (resolved into RunPlan.serverCpus on this machine). */
  readonly serverCpus?: string;
  /** Beta variant names mapped to today's, said once at the start. */
  readonly variantWarnings: readonly string[];
  /** --images: the plan's image manifest (absolute); every image measured must be in it. */
  readonly imagesManifest?: string;
  /** --store: where the finished run is added (a postgres:// URL or an absolute directory; never in the file). */
  readonly store?: string;
}

/** Options that may go with --resume: they do not shape the measurement. */
/** The longest --ramp-up (s); a scenario's own timeout may allow less. */
export const MAX_RAMP_UP_S = 600;

export const RESUME_COMPATIBLE_OPTIONS = [
  'resume',
  'verbose',
  'failFast',
  'allowConcurrent',
  'hygiene',
  'store',
] as const;

function parseHygiene(text: string | undefined): 'report' | 'fail' {
  if (text === undefined || text === 'report' || text === 'fail') return text ?? 'report';
  throw new UsageError(
    `--hygiene ${text}: unknown mode`,
    'pass --hygiene report (say what each checkpoint carries) or --hygiene fail (any finding exits 1)',
  );
}

export function parseIntegerOption(
  flag: string,
  text: string | undefined,
  fallback: number,
  lo: number,
  hi: number,
): number {
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text.trim()))
    throw new UsageError(`${flag} ${text}: expected a whole number`, `pass ${flag} N with ${lo} <= N <= ${hi}`);
  const n = Number(text);
  if (n < lo || n > hi)
    throw new UsageError(`${flag} ${text}: must be between ${lo} and ${hi}`, `pass ${flag} N with ${lo} <= N <= ${hi}`);
  return n;
}

export function parseBaseCriu(text: string | undefined): CriuSuite | undefined {
  if (text === undefined) return undefined;
  if ((CRIU_SUITES as readonly string[]).includes(text)) return text as CriuSuite;
  throw new UsageError(
    `--base-criu ${text}: unknown Debian release`,
    `use --base-criu ${CRIU_SUITES.join(' or ')} (to reproduce those CRIU releases' failures on this kernel)`,
  );
}

export function parseCheckpointFlow(text: string | undefined): 'run' | 'build' {
  if (text === undefined || text === 'run' || text === 'build') return text ?? DEFAULT_CHECKPOINT_FLOW;
  throw new UsageError(
    `--checkpoint-flow ${text}: unknown flow`,
    'use --checkpoint-flow run (privileged run + commit) or build (RUN checkpoint.sh in podman build)',
  );
}

/**
 * local: the tool's images on its own base; semeru: the scenario built as Open Liberty's docs build it, on the official
 * InstantOn image (pulled from icr.io; a host that cannot reach it gets exit 3 within a minute).
 */
export function parseProfile(text: string | undefined): 'local' | 'semeru' {
  if (text === undefined || text === 'local' || text === 'semeru') return text ?? 'local';
  throw new UsageError(`unknown profile "${text}"`, 'use --profile local or --profile semeru');
}

/** --base: what an image scenario's Containerfile is built on (its FROM, or the local InstantOn base). */
export function parseImageBase(text: string | undefined): ImageBase | undefined {
  if (text === undefined || text === 'local' || text === 'official') return text;
  throw new UsageError(
    `--base ${text}: unknown base`,
    'use --base local (the local InstantOn base instead of the FROM image) or --base official (the FROM line as ' +
      'written)',
  );
}

function resolveScenarioRefs(input: RunInput, cwd: string): string[] {
  const refs = [...(input.scenario ?? [])];
  if (input.suite !== undefined) {
    const suite = SUITES[input.suite];
    if (!suite)
      throw new UsageError(`unknown suite "${input.suite}"`, `use --suite ${Object.keys(SUITES).join(' or ')}`);
    refs.push(...suite);
  }
  const named = refs.length > 0 ? [...new Set(refs)] : [DEFAULT_SCENARIO];
  // Directories are stored absolute so that --resume finds them from anywhere.
  return named.map((ref) => (ref.includes('/') || ref.startsWith('.') ? path.resolve(cwd, ref) : ref));
}

/**
 * Validate and fill defaults, once (house rule 2: never mutates the input). The settings go
 * into the results file as they are; the session is this invocation's.
 */
export function resolveRun(input: RunInput, cwd: string, now: Date): { settings: RunSettings; session: RunSession } {
  const pin = input.pin ?? DEFAULT_PIN;
  if (pin !== 'taskset' && pin !== 'cpuset')
    throw new UsageError(`--pin ${pin}: unknown method`, 'use --pin taskset or --pin cpuset');
  const stamp = now
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');
  const parsed = parseVariantList(input.variants);
  const sequential = parseSequential(input);
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
  const readyTimeoutMs =
    input.readyTimeout === undefined
      ? undefined
      : parseIntegerOption('--ready-timeout', input.readyTimeout, 0, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
  const baseCriu = parseBaseCriu(input.baseCriu);
  const arms = parseArms(input.arm, cwd);
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
  const coldState = input.coldState ?? 'primed';
  if (coldState !== 'primed' && coldState !== 'clean')
    throw new UsageError(
      `--cold-state ${coldState}: unknown state`,
      'use --cold-state primed (default: the work area primed at build time, as tuned images ship) or --cold-state ' +
        'clean (a truly first start: Liberty --clean, -Xshare:off)',
    );
  if (coldState === 'clean' && !parsed.variants.includes('cold'))
    throw new UsageError(
      '--cold-state clean changes only the cold variant, which --variants leaves out',
      'add cold to --variants, or drop --cold-state',
    );
  const imageBase = parseImageBase(input.base);
  const shard = parseShard(input, runs, sequential !== undefined);
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
    if (!parsed.variants.some(isCheckpointPhase))
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
  const labels = parseLabels(input.label);
  const settings: RunSettings = {
    scenarioRefs: resolveScenarioRefs(input, cwd),
    variants: parsed.variants,
    runs,
    warmup: parseIntegerOption('--warmup', input.warmup, DEFAULT_WARMUP, 0, MAX_RUNS),
    seed: parseIntegerOption('--seed', input.seed, DEFAULT_SEED, 0, 2 ** 32 - 1),
    pin,
    profile: parseProfile(input.profile),
    ...(imageBase !== undefined ? { imageBase } : {}),
    ...(readyTimeoutMs !== undefined ? { readyTimeoutMs } : {}),
    restoreMode: input.privileged ? 'privileged' : 'least-privilege',
    strict: input.strict ?? false,
    ...(targetCiPct !== undefined ? { targetCiPct } : {}),
    maxRuns,
    checkpointFlow: parseCheckpointFlow(input.checkpointFlow),
    ...(baseCriu !== undefined ? { baseCriu } : {}),
    ...(coldState === 'clean' ? { coldState } : {}),
    ...(rampUpS !== undefined ? { rampUpS } : {}),
    ...(rampConcurrency !== undefined ? { rampConcurrency } : {}),
    ...(arms !== undefined ? { arms } : {}),
    ...(sequential !== undefined ? { sequential } : {}),
    ...(shard !== undefined ? { shard } : {}),
    ...(input.restoreHost !== undefined ? { restoreHost: input.restoreHost } : {}),
    ...(input.restoreOn !== undefined ? { restoreOn: input.restoreOn } : {}),
    ...(labels !== undefined ? { labels } : {}),
  };
  const session: RunSession = {
    out: path.resolve(cwd, input.out ?? path.join('results', `run-${stamp}.json`)),
    verbose: input.verbose ?? false,
    failFast: input.failFast ?? false,
    hygiene: parseHygiene(input.hygiene),
    allowConcurrent: input.allowConcurrent ?? false,
    ...(input.serverCpus !== undefined ? { serverCpus: input.serverCpus } : {}),
    variantWarnings: parsed.warnings,
    ...(input.images !== undefined ? { imagesManifest: path.resolve(cwd, input.images) } : {}),
    ...(input.store !== undefined ? { store: storeLocation(input.store, cwd) } : {}),
  };
  return { settings, session };
}

/**
 * --sequential and its bounds: an A/B gate only (arms paired by round); the rounds are the
 * data's to decide, so --runs, --max-runs and --target-ci do not go with it.
 */
function parseSequential(input: RunInput): SequentialDesign | undefined {
  const bounds = (['minRounds', 'maxRounds', 'threshold', 'notWorseMargin'] as const).filter(
    (k) => input[k] !== undefined,
  );
  if (!input.sequential) {
    const [first] = bounds;
    if (first !== undefined)
      throw new UsageError(
        `--${first.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} without --sequential: it bounds a sequential gate`,
        'add --sequential (with --arm ... --arm ...), or drop it',
      );
    return undefined;
  }
  if (!input.arm || input.arm.length < 2)
    throw new UsageError(
      '--sequential needs A/B arms: it stops a paired gate when its answer is known',
      'name a baseline and a candidate: --arm base --arm new:KEY=VALUE --sequential',
    );
  for (const [flag, value] of [
    ['--runs', input.runs],
    ['--max-runs', input.maxRuns],
    ['--target-ci', input.targetCi],
  ] as const)
    if (value !== undefined)
      throw new UsageError(
        `${flag} with --sequential: the data decide the rounds of a sequential gate`,
        `drop ${flag}; bound the rounds with --min-rounds N (default ${DEFAULT_MIN_ROUNDS}) and --max-rounds N ` +
          `(default ${DEFAULT_MAX_ROUNDS})`,
      );
  const minRounds = parseIntegerOption(
    '--min-rounds',
    input.minRounds,
    DEFAULT_MIN_ROUNDS,
    MIN_SEQUENTIAL_ROUNDS,
    MAX_SEQUENTIAL_ROUNDS,
  );
  const maxRounds = parseIntegerOption(
    '--max-rounds',
    input.maxRounds,
    Math.max(minRounds, DEFAULT_MAX_ROUNDS),
    MIN_SEQUENTIAL_ROUNDS,
    MAX_SEQUENTIAL_ROUNDS,
  );
  if (maxRounds < minRounds)
    throw new UsageError(
      `--max-rounds ${maxRounds} is below --min-rounds ${minRounds}`,
      'pass a --max-rounds at least as large as --min-rounds',
    );
  const thresholdPct =
    input.threshold === undefined
      ? DEFAULT_THRESHOLD_PCT
      : parseIntegerOption('--threshold', input.threshold, 0, 1, 50);
  const marginPct = parseIntegerOption(
    '--not-worse-margin',
    input.notWorseMargin,
    notWorseMarginFor(thresholdPct),
    1,
    99,
  );
  if (marginPct < thresholdPct)
    throw new UsageError(
      `--not-worse-margin ${marginPct} is below the threshold ${thresholdPct}%: "not worse" would rule out less than ` +
        'the gate calls a change',
      `pass --not-worse-margin ${thresholdPct} or more (default ${notWorseMarginFor(thresholdPct)}), or a lower --threshold`,
    );
  return sequentialDesign({
    thresholdPct,
    metrics: DEFAULT_COMPARE_METRICS,
    minRounds,
    maxRounds,
    futility: { marginPct },
  });
}

/**
 * --shard K/N: shard K of N of the same seeded plan, whole rounds (round r goes to shard
 * ((r - 1) mod N) + 1), so the arms of a round are never split across hosts.
 */
function parseShard(
  input: RunInput,
  rounds: number,
  sequential: boolean,
): { index: number; count: number } | undefined {
  if (input.shard === undefined) return undefined;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(input.shard);
  const fix = 'pass --shard K/N with 1 <= K <= N, e.g. --shard 1/2 on one host and --shard 2/2 on another';
  if (!m) throw new UsageError(`--shard ${input.shard}: expected K/N`, fix);
  const [index, count] = [Number(m[1]), Number(m[2])];
  if (count < 1 || index < 1 || index > count) throw new UsageError(`--shard ${input.shard}: K must be 1 to N`, fix);
  if (count > rounds)
    throw new UsageError(
      `--shard ${input.shard}: the plan has ${rounds} round(s), so at most ${rounds} shard(s) hold one`,
      `pass --runs ${count} or more, or fewer shards`,
    );
  if (sequential || input.targetCi !== undefined)
    throw new UsageError(
      `--shard with ${sequential ? '--sequential' : '--target-ci'}: the rounds are decided as the run goes, on one host`,
      `drop ${sequential ? '--sequential' : '--target-ci'}, or run the plan on one host without --shard`,
    );
  return { index, count };
}

/** Looks a sequential gate may take: the boundaries are integrated over every one of them. */
export const MAX_SEQUENTIAL_ROUNDS = 200;

/** The session of a `--resume`: the stored plan, this invocation's flags. */
export function resumeSession(file: string, input: RunInput, serverCpus: string, cwd: string): RunSession {
  return {
    out: file,
    verbose: input.verbose ?? false,
    failFast: input.failFast ?? false,
    hygiene: parseHygiene(input.hygiene),
    allowConcurrent: input.allowConcurrent ?? false,
    serverCpus,
    variantWarnings: [],
    ...(input.store !== undefined ? { store: storeLocation(input.store, cwd) } : {}),
  };
}

/** The settings part of a stored configuration (what a resume runs with). */
export function settingsOf(config: RunConfig): RunSettings {
  const { scenarios: _s, serverCpus: _c, harnessCpus: _h, order: _o, ...settings } = config;
  return settings;
}
