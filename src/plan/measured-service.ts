import type { Variant } from '../scenario/variants.js';
import { isMeasuredOk } from '../results/keys.js';
import { median } from 'simple-statistics';
import type { RunRecord } from '../results/types.js';
import { fullSeconds } from '../results/ramp-seconds.js';

/** What `plan` takes from --ramp-up starts instead of --service-ms. */
export interface MeasuredService {
  /** Mean time a request held one connection at steady state: concurrency / throughput (Little's law), ms. */
  readonly serviceMs: number;
  /** The load's concurrency (connections) it was measured at. */
  readonly concurrency: number;
  /** Median steady-state throughput of the starts, requests per second. */
  readonly steadyRps: number;
  /**
   * Median share of that steady throughput the starts served in their first 30 s since launch (requests / (30 s x
   * steady)).
   */
  readonly first30sShare?: number;
  readonly starts: number;
}

/** One start's steady throughput: the mean of the last half of its full seconds (undefined without a full second). */
export function steadyRps(r: RunRecord): number | undefined {
  const ramp = r.rampUp;
  if (!ramp) return undefined;
  const full = fullSeconds(ramp);
  if (full.length === 0) return undefined;
  const tail = full.slice(Math.floor(full.length / 2));
  return tail.reduce((a, b) => a + b.requests, 0) / tail.length;
}

/** The measured service of a scenario's variant, from its ok, measured ramp-up starts; undefined without any. */
export function measuredService(
  runs: readonly RunRecord[],
  scenario: string,
  variant: Variant,
): MeasuredService | undefined {
  const starts = runs.filter((r) => r.scenario === scenario && r.variant === variant && isMeasuredOk(r) && r.rampUp);
  const rows = starts
    .map((r) => ({ r, x: steadyRps(r) }))
    .filter((v): v is { r: RunRecord; x: number } => v.x !== undefined && v.x > 0);
  if (rows.length === 0) return undefined;
  const concurrency = rows[0]?.r.rampUp?.concurrency as number;
  const x = median(rows.map((v) => v.x));
  const shares = rows
    .map((v) => (v.r.metrics.rampRequests30s !== undefined ? v.r.metrics.rampRequests30s / (30 * v.x) : undefined))
    .filter((v): v is number => v !== undefined);
  return {
    serviceMs: (1000 * concurrency) / x,
    concurrency,
    steadyRps: x,
    ...(shares.length > 0 ? { first30sShare: median(shares) } : {}),
    starts: rows.length,
  };
}
