import { seededRandom } from '../measure/schedule.js';

/**
 * Discrete-event check of the closed form: Poisson arrivals, one instance that scales to
 * zero after T s idle; counts the requests that find no instance up.
 */
export function simulateColdShare(arrivalRatePerS: number, idleTimeoutS: number, requests: number, seed: number): number {
  const random = seededRandom(seed);
  let now = 0;
  let lastRequest = Number.NEGATIVE_INFINITY;
  let cold = 0;
  for (let i = 0; i < requests; i += 1) {
    now += -Math.log(1 - random()) / arrivalRatePerS;
    if (now - lastRequest > idleTimeoutS) cold += 1;
    lastRequest = now;
  }
  return cold / requests;
}
