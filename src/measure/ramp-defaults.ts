/** Concurrency of the ramp-up load when the scenario and --ramp-concurrency say nothing. */
export const DEFAULT_RAMP_CONCURRENCY = 4;
