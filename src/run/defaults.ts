import { type PinMethod } from '../results/config-types.js';
import { RECOMMENDED_RUNS } from '../stats/compare.js';

/**
 * The run's defaults, in a module of their own so that `--help` (which quotes them) loads nothing else of the run.
 */
export const DEFAULT_SCENARIO = 'pingperf';
/** Measured starts per variant: as many as a regression gate on this noise needs. */
export const DEFAULT_RUNS = RECOMMENDED_RUNS;
export const DEFAULT_WARMUP = 1;
export const DEFAULT_SEED = 1;
export const DEFAULT_MAX_RUNS = 30;
/** A start's timeout, when none is given: this many times the slowest cold start so far... */
export const TIMEOUT_COLD_FACTOR = 4;
/** ...but never less than this. */
export const MIN_SIZED_TIMEOUT_MS = 30_000;
/** The most starts per variant (or rounds) a run takes. */
export const MAX_RUNS = 10_000;
/** The longest --ramp-up (s); a scenario's own timeout may allow less. */
export const MAX_RAMP_UP_S = 600;
/** --pin's default: taskset on the podman process, as the Liberty blog did. */
export const DEFAULT_PIN: PinMethod = 'taskset';
