import type { PlanInput } from './capacity.js';

/** `plan`'s defaults, in one place for the command and the report's scale-to-zero chart. */
export const DEFAULT_ARRIVAL_RATE = 0.05;
export const DEFAULT_IDLE_TIMEOUT_S = 60;
export const DEFAULT_CONCURRENCY = 100;
export const DEFAULT_SERVICE_MS = 10;
export const DEFAULT_SLO_MS = 1000;

export const DEFAULT_PLAN_INPUT: PlanInput = {
  arrivalRatePerS: DEFAULT_ARRIVAL_RATE,
  idleTimeoutS: DEFAULT_IDLE_TIMEOUT_S,
  concurrency: DEFAULT_CONCURRENCY,
  serviceMs: DEFAULT_SERVICE_MS,
  sloMs: DEFAULT_SLO_MS,
};
