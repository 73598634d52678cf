import { seededRandom } from '../stats/random.js';

export interface SimulatedScaleToZero {
  /** Share of requests that waited for a startup. */
  readonly coldShare: number;
  readonly coldStartsPerHour: number;
  /** Added latency of every request (ms), sorted. */
  readonly waitsMs: readonly number[];
  /** Share of the time an instance existed (starting or up). */
  readonly upFraction: number;
}

/**
 * The scale-to-zero policy of src/plan/capacity.ts run event by event, to check its closed form:
 * Poisson arrivals; a request that finds no instance starts one (startup drawn from the given
 * startups) and waits for it, later arrivals during the startup wait for the rest of it; the
 * instance goes away T s after its last request (or after readiness, if later).
 */
export function simulateScaleToZero(
  arrivalRatePerS: number,
  idleTimeoutS: number,
  startupsMs: readonly number[],
  requests: number,
  seed: number,
): SimulatedScaleToZero {
  const random = seededRandom(seed);
  const waits = new Array<number>(requests);
  let now = 0;
  let createdAt = 0;
  let readyAt = Number.NEGATIVE_INFINITY;
  let goneAt = Number.NEGATIVE_INFINITY;
  let upTime = 0;
  let colds = 0;
  let waited = 0;
  for (let i = 0; i < requests; i += 1) {
    now += -Math.log(1 - random()) / arrivalRatePerS;
    if (now > goneAt) {
      if (Number.isFinite(goneAt)) upTime += goneAt - createdAt;
      const startupS = (startupsMs[Math.floor(random() * startupsMs.length)] as number) / 1000;
      createdAt = now;
      readyAt = now + startupS;
      colds += 1;
    }
    const wait = Math.max(0, readyAt - now);
    if (wait > 0) waited += 1;
    waits[i] = wait * 1000;
    goneAt = Math.max(readyAt, now) + idleTimeoutS;
  }
  upTime += Math.min(goneAt, now) - createdAt;
  return {
    coldShare: waited / requests,
    coldStartsPerHour: (3600 * colds) / now,
    waitsMs: waits.sort((a, b) => a - b),
    upFraction: upTime / now,
  };
}
