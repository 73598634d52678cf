import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { type RunConfig, type RunSettings } from '../results/types.js';
import { PIN_METHODS, type PinMethod, type ArmSpec } from '../results/config-types.js';
import { DEFAULT_PIN, DEFAULT_SCENARIO, DEFAULT_SEED, DEFAULT_WARMUP, MAX_RUNS } from './defaults.js';
import { parseVariantList } from '../scenario/variants.js';
import { parseArms } from './arms.js';
import { MAX_TIMEOUT_MS, MIN_TIMEOUT_MS } from '../scenario/limits.js';
import { parseLabels, storeLocation } from '../store/labels.js';
import {
  parseBaseCriu,
  parseCheckpointFlow,
  parseHygiene,
  parseImageBase,
  parseIntegerOption,
  parseProfile,
} from './parse-options.js';
import { parseSequential, parseShard } from './parse-gate.js';
import { parseRunCounts, parseRamp, parseColdState, checkRestorePlace } from './parse-run-parts.js';
import type { RunInput } from './run-input.js';

/** Named scenario sets: `blog` is the trio Liberty published InstantOn figures for. */
export const SUITES: Readonly<Record<string, readonly string[]>> = { blog: ['pingperf', 'rest-crud', 'acmeair-main'] };

/** How this invocation runs (not stored: a resume may choose them anew). */
export interface RunSession {
  readonly out: string;
  readonly verbose: boolean;
  readonly failFast: boolean;
  /** --hygiene: 'fail' makes any finding of a checkpoint's hygiene exit 1 (default 'report'). */
  readonly hygiene: 'report' | 'fail';
  readonly allowConcurrent: boolean;
  /** Probe the host's speed before the first start and after the last (--no-host-speed: false). */
  readonly hostSpeed: boolean;
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
export const RESUME_COMPATIBLE_OPTIONS = [
  'resume',
  'verbose',
  'failFast',
  'allowConcurrent',
  'hostSpeed',
  'hygiene',
  'store',
] as const;

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
  const pin = (input.pin ?? DEFAULT_PIN) as PinMethod;
  if (!PIN_METHODS.includes(pin))
    throw new UsageError(`--pin ${pin}: unknown method`, `use ${PIN_METHODS.map((m) => `--pin ${m}`).join(' or ')}`);
  const parsed = parseVariantList(input.variants);
  const sequential = parseSequential(input);
  const { targetCiPct, runs, maxRuns } = parseRunCounts(input, sequential);
  const readyTimeoutMs =
    input.readyTimeout === undefined
      ? undefined
      : parseIntegerOption('--ready-timeout', input.readyTimeout, 0, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
  const baseCriu = parseBaseCriu(input.baseCriu);
  const arms = parseArms(input.arm, cwd);
  const { rampUpS, rampConcurrency } = parseRamp(input);
  const coldState = parseColdState(input, parsed.variants);
  const imageBase = parseImageBase(input.base);
  const shard = parseShard(input, runs, sequential !== undefined);
  checkRestorePlace(input, parsed.variants);
  const labels = parseLabels(input.label);
  const reference = parseReference(input.reference, arms);
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
    ...(reference !== undefined ? { reference } : {}),
  };
  const session = sessionOf(input, cwd, now, parsed.warnings);
  return { settings, session };
}

/** --reference names one arm of two or more: the one every other arm's starts are divided by, round by round. */
function parseReference(name: string | undefined, arms: readonly ArmSpec[] | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (!arms || arms.length < 2)
    throw new UsageError(
      `--reference ${name}: a reference is one arm of two or more measured in one run`,
      `add --arm ${name}:... for the reference and --arm NAME for the build, e.g. --arm ref:image=localhost/app:1.0 --arm build`,
    );
  if (!arms.some((a) => a.name === name))
    throw new UsageError(
      `--reference ${name}: no arm of that name`,
      `name one of the arms: ${arms.map((a) => a.name).join(', ')}`,
    );
  return name;
}

/** This invocation's session: the results file, the output, the gate on hygiene, the store. */
function sessionOf(input: RunInput, cwd: string, now: Date, variantWarnings: string[]): RunSession {
  const stamp = now
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');
  return {
    out: path.resolve(cwd, input.out ?? path.join('results', `run-${stamp}.json`)),
    verbose: input.verbose ?? false,
    failFast: input.failFast ?? false,
    hygiene: parseHygiene(input.hygiene),
    allowConcurrent: input.allowConcurrent ?? false,
    hostSpeed: input.hostSpeed ?? true,
    ...(input.serverCpus !== undefined ? { serverCpus: input.serverCpus } : {}),
    variantWarnings,
    ...(input.images !== undefined ? { imagesManifest: path.resolve(cwd, input.images) } : {}),
    ...(input.store !== undefined ? { store: storeLocation(input.store, cwd) } : {}),
  };
}

/** The session of a `--resume`: the stored plan, this invocation's flags. */
export function resumeSession(file: string, input: RunInput, serverCpus: string, cwd: string): RunSession {
  return {
    out: file,
    verbose: input.verbose ?? false,
    failFast: input.failFast ?? false,
    hygiene: parseHygiene(input.hygiene),
    allowConcurrent: input.allowConcurrent ?? false,
    hostSpeed: input.hostSpeed ?? true,
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
