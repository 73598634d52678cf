import { quantileSorted } from 'simple-statistics';
import type { RunRecord } from '../report/results-types.js';

/**
 * Scale-to-zero capacity model, stated so users can judge it:
 * - requests arrive as a Poisson process at rate λ (per second);
 * - an instance stays up until it has been idle for T seconds, then scales to zero;
 * - a request that arrives while no instance is up starts one and waits the whole startup
 *   time S, a draw from the measured distribution (time to first response);
 * - requests that arrive during a startup are not counted separately (valid when λ·S ≪ 1);
 * - each instance serves up to C requests at once; a request holds it for the service time.
 * Then P(cold) = e^{-λT} (the idle gap before a request exceeds T: memoryless), and an
 * instance is up a fraction 1 - e^{-λT} of the time plus λ·e^{-λT}·E[S] for startups.
 */
export const MODEL_TEXT =
  'Poisson arrivals at rate λ; scale to zero after T s idle; a request arriving with no instance up waits a full startup S drawn from the measured time-to-first-response distribution; P(cold) = e^(-λT); instance-seconds/s = 1 - e^(-λT) + λ·e^(-λT)·E[S]; instances = ceil(λ·service / C) by Little\'s law; arrivals during a startup are ignored (λ·S ≪ 1).';

/** The startups a plan draws from: time to first response of the ok, measured starts. */
export function measuredStartupsMs(runs: readonly RunRecord[], scenario: string, variant: string): number[] {
  return runs
    .filter((r) => !r.warmup && r.status === 'ok' && r.scenario === scenario && r.variant === variant)
    .map((r) => r.metrics.firstResponseMs)
    .filter((v): v is number => typeof v === 'number');
}

export interface PlanInput {
  readonly arrivalRatePerS: number;
  readonly idleTimeoutS: number;
  readonly concurrency: number;
  readonly serviceMs: number;
  readonly sloMs: number;
}

export interface VariantPlan {
  readonly scenario: string;
  readonly variant: string;
  readonly samples: number;
  readonly meanStartupMs: number;
  /** Share of requests that meet a cold start. */
  readonly coldShare: number;
  /** Added latency percentiles over all requests (0 for those that find an instance up). */
  readonly addedLatencyMs: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly instances: number;
  readonly instanceSecondsPerHour: number;
  /** Share of startups slower than the SLO. */
  readonly startupsOverSlo: number;
  /** Shortest idle timeout for which the p99 added latency meets the SLO (null: any; Infinity: none). */
  readonly minIdleTimeoutForSloS: number | null;
}

/** The q-quantile of a mixture: 0 with probability 1 - p, else a draw from sorted startups. */
export function mixtureQuantile(sortedStartups: readonly number[], pCold: number, q: number): number {
  if (pCold <= 0 || q <= 1 - pCold) return 0;
  const within = Math.min(1, (q - (1 - pCold)) / pCold);
  return quantileSorted([...sortedStartups], within);
}

export function planVariant(scenario: string, variant: string, startupsMs: readonly number[], input: PlanInput): VariantPlan {
  if (startupsMs.length === 0) throw new RangeError('a plan needs at least one measured startup');
  const sorted = [...startupsMs].sort((a, b) => a - b);
  const lambda = input.arrivalRatePerS;
  const pCold = Math.exp(-lambda * input.idleTimeoutS);
  const meanS = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const upShare = Math.min(1, 1 - pCold + lambda * pCold * (meanS / 1000));
  const instances = Math.max(1, Math.ceil((lambda * input.serviceMs) / 1000 / input.concurrency));
  const overSlo = sorted.filter((s) => s > input.sloMs).length / sorted.length;
  // p99(added) <= SLO  <=>  P(cold) * P(S > SLO) <= 0.01  <=>  T >= ln(P(S > SLO) / 0.01) / λ
  let minIdle: number | null;
  if (overSlo <= 0.01) minIdle = null;
  else minIdle = lambda > 0 ? Math.log(overSlo / 0.01) / lambda : Number.POSITIVE_INFINITY;
  return {
    scenario,
    variant,
    samples: sorted.length,
    meanStartupMs: meanS,
    coldShare: pCold,
    addedLatencyMs: {
      p50: mixtureQuantile(sorted, pCold, 0.5),
      p95: mixtureQuantile(sorted, pCold, 0.95),
      p99: mixtureQuantile(sorted, pCold, 0.99),
    },
    instances,
    instanceSecondsPerHour: 3600 * upShare * instances,
    startupsOverSlo: overSlo,
    minIdleTimeoutForSloS: minIdle,
  };
}
