import path from 'node:path';
import { UsageError } from '../core/errors.js';
import type { PinMethod } from '../results/types.js';
import { parseVariantList, type Variant } from '../scenario/variants.js';
import { CRIU_SUITES, type CriuSuite } from '../images/criu-variant.js';
import { RECOMMENDED_RUNS } from '../stats/compare.js';

export const DEFAULT_SCENARIO = 'pingperf';
/** Named scenario sets: `blog` is the trio Liberty published InstantOn figures for. */
export const SUITES: Readonly<Record<string, readonly string[]>> = { blog: ['pingperf', 'rest-crud', 'acmeair-main'] };
/** Measured starts per variant: as many as a regression gate on this noise needs. */
export const DEFAULT_RUNS = RECOMMENDED_RUNS;
export const DEFAULT_WARMUP = 1;
export const DEFAULT_SEED = 1;
export const DEFAULT_PIN: PinMethod = 'taskset';
export const MAX_RUNS = 10_000;
export const DEFAULT_MAX_RUNS = 30;


/** Raw options as the argument parser gives them (all optional, strings). */
export interface RunOptionsInput {
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
  readonly privileged?: boolean;
  readonly strict?: boolean;
  readonly failFast?: boolean;
  readonly resume?: string;
  readonly targetCi?: string;
  readonly maxRuns?: string;
  readonly checkpointFlow?: string;
  readonly baseCriu?: string;
  readonly allowConcurrent?: boolean;
}

export interface RunOptions {
  readonly scenarios: readonly string[];
  readonly variants: readonly Variant[];
  readonly variantWarnings: readonly string[];
  readonly runs: number;
  readonly warmup: number;
  readonly serverCpus?: string;
  readonly pin: PinMethod;
  readonly seed: number;
  readonly out: string;
  readonly readyTimeoutMs?: number;
  readonly verbose: boolean;
  readonly profile: 'local';
  /** Restore in --privileged containers instead of the least-privilege capability set. */
  readonly privileged: boolean;
  /** CRIU_RESTORE_DISABLE_RECOVERY=true: a failed restore ends the start instead of falling back. */
  readonly strict: boolean;
  /** Stop at the first start that is not ok. */
  readonly failFast: boolean;
  /** Keep adding rounds until every variant's median 95% interval is within ±this % of it. */
  readonly targetCiPct?: number;
  readonly maxRuns: number;
  readonly checkpointFlow: 'run' | 'build';
  readonly baseCriu?: CriuSuite;
}

export function parseIntegerOption(flag: string, text: string | undefined, fallback: number, lo: number, hi: number): number {
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`${flag} ${text}: expected a whole number`, `pass ${flag} N with ${lo} <= N <= ${hi}`);
  const n = Number(text);
  if (n < lo || n > hi) throw new UsageError(`${flag} ${text}: must be between ${lo} and ${hi}`, `pass ${flag} N with ${lo} <= N <= ${hi}`);
  return n;
}

export function parseBaseCriu(text: string | undefined): CriuSuite | undefined {
  if (text === undefined) return undefined;
  if ((CRIU_SUITES as readonly string[]).includes(text)) return text as CriuSuite;
  throw new UsageError(`--base-criu ${text}: unknown Debian release`, `use --base-criu ${CRIU_SUITES.join(' or ')} (to reproduce those CRIU releases' failures on this kernel)`);
}

export function parseCheckpointFlow(text: string | undefined): 'run' | 'build' {
  if (text === undefined || text === 'run' || text === 'build') return text ?? 'run';
  throw new UsageError(`--checkpoint-flow ${text}: unknown flow`, 'use --checkpoint-flow run (privileged run + commit) or build (RUN checkpoint.sh in podman build)');
}

export function parseProfile(text: string | undefined): 'local' {
  if (text === undefined || text === 'local') return 'local';
  if (text === 'semeru') {
    throw new UsageError(
      'the semeru profile needs the official images from icr.io (OpenJ9 with InstantOn), which this host cannot pull',
      'use --profile local (the default, no registry needed); instanton-bench build --profile semeru --dry-run prints what semeru would run',
    );
  }
  throw new UsageError(`unknown profile "${text}"`, 'use --profile local');
}

function resolveScenarioRefs(input: RunOptionsInput): string[] {
  const refs = [...(input.scenario ?? [])];
  if (input.suite !== undefined) {
    const suite = SUITES[input.suite];
    if (!suite) throw new UsageError(`unknown suite "${input.suite}"`, `use --suite ${Object.keys(SUITES).join(' or ')}`);
    refs.push(...suite);
  }
  return refs.length > 0 ? [...new Set(refs)] : [DEFAULT_SCENARIO];
}

/** Validate and fill defaults; never mutates the input (house rule 2). */
export function resolveRunOptions(input: RunOptionsInput, cwd: string, now: Date): RunOptions {
  const pin = input.pin ?? DEFAULT_PIN;
  if (pin !== 'taskset' && pin !== 'cpuset') throw new UsageError(`--pin ${pin}: unknown method`, 'use --pin taskset or --pin cpuset');
  const stamp = now.toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
  const parsed = parseVariantList(input.variants);
  const targetCiPct = input.targetCi === undefined ? undefined : parseIntegerOption('--target-ci', input.targetCi, 0, 1, 100);
  const runs = parseIntegerOption('--runs', input.runs, DEFAULT_RUNS, 1, MAX_RUNS);
  const maxRuns = parseIntegerOption('--max-runs', input.maxRuns, Math.max(runs, DEFAULT_MAX_RUNS), 1, MAX_RUNS);
  if (maxRuns < runs) throw new UsageError(`--max-runs ${maxRuns} is below --runs ${runs}`, 'pass a --max-runs at least as large as --runs');
  const readyTimeoutMs = input.readyTimeout === undefined ? undefined : parseIntegerOption('--ready-timeout', input.readyTimeout, 0, 1_000, 3_600_000);
  return {
    scenarios: resolveScenarioRefs(input),
    variants: parsed.variants,
    variantWarnings: parsed.warnings,
    runs,
    warmup: parseIntegerOption('--warmup', input.warmup, DEFAULT_WARMUP, 0, MAX_RUNS),
    ...(input.serverCpus !== undefined ? { serverCpus: input.serverCpus } : {}),
    pin,
    seed: parseIntegerOption('--seed', input.seed, DEFAULT_SEED, 0, 2 ** 32 - 1),
    out: path.resolve(cwd, input.out ?? path.join('results', `run-${stamp}.json`)),
    ...(readyTimeoutMs !== undefined ? { readyTimeoutMs } : {}),
    verbose: input.verbose ?? false,
    profile: parseProfile(input.profile),
    privileged: input.privileged ?? false,
    strict: input.strict ?? false,
    failFast: input.failFast ?? false,
    ...(targetCiPct !== undefined ? { targetCiPct } : {}),
    maxRuns,
    checkpointFlow: parseCheckpointFlow(input.checkpointFlow),
    ...(input.baseCriu !== undefined ? { baseCriu: parseBaseCriu(input.baseCriu) } : {}),
  };
}
