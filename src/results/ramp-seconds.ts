import type { RampUpRecord } from './types.js';

/** The seconds (since launch) that the ramp-up load covered whole: its first and last seconds are partial. */
export function fullSeconds(r: Pick<RampUpRecord, 'buckets' | 'loadStartMs' | 'loadEndMs'>): RampUpRecord['buckets'] {
  return r.buckets.filter((b) => b.second * 1000 >= r.loadStartMs && (b.second + 1) * 1000 <= r.loadEndMs);
}
