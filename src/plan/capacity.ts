import type { RunRecord } from '../results/types.js';
import type { Variant } from '../scenario/variants.js';
import { okValues } from '../stats/analyze.js';

/**
 * Scale-to-zero capacity model, stated so users can judge it:
 * - requests arrive as a Poisson process at rate λ (per second);
 * - one instance; it scales to zero once T seconds pass without a request (the timer starts at
 *   the last request, or at readiness for the requests that waited for it);
 * - a request that finds no instance starts one and waits the whole startup S, a draw from the
 *   measured distribution (time to first response); requests arriving during that startup wait
 *   for the rest of it;
 * - service times are short next to T and S and are left out of the timers; the number of
 *   instances needed at once is ceil(λ·service / C) (Little's law, C requests per instance).
 *
 * Closed form, a renewal argument over "cycles" (scale from zero, serve, scale to zero), with
 * p = e^(-λT) the chance that an idle gap outlasts T and m = E[S] in seconds:
 * - a cycle holds 1 + λm requests that wait and (1-p)/p that do not;
 * - share of requests that wait for a startup = p(1 + λm) / (1 + pλm);
 * - P(added latency > x) = p·(P(S > x) + λ·E[(S - x)+]) / (1 + pλm);
 * - the instance is up (m + (1-p)/(λp)) of every (m + 1/(λp)) seconds, i.e. a fraction
 *   (1 - p + pλm) / (1 + pλm), and a cycle (one cold start) lasts m + 1/(λp) seconds.
 * src/plan/simulate.ts runs the same policy event by event; the unit tests hold the two together.
 */
export const MODEL_TEXT =
  'Poisson arrivals at rate λ; one instance, scaled to zero after T s without a request; a request that finds no ' +
  'instance starts one and waits the whole startup S (drawn from the measured time-to-first-response ' +
  'distribution), requests arriving during that startup wait for the rest of it. With p = e^(-λT) and m = E[S]: ' +
  'share of requests that wait = p(1+λm)/(1+pλm); P(added latency > x) = p(P(S>x) + λE[(S-x)+])/(1+pλm); ' +
  'instance up fraction = (1-p+pλm)/(1+pλm); one cold start every m + 1/(λp) s; instances = ' +
  "ceil(λ·service/C) (Little's law; service time is left out of the timers).";

/** The startups a plan draws from: time to first response of the ok, measured starts. */
export function measuredStartupsMs(runs: readonly RunRecord[], scenario: string, variant: Variant): number[] {
  return okValues(runs, scenario, variant, 'firstResponseMs');
}

export interface PlanInput {
  readonly arrivalRatePerS: number;
  readonly idleTimeoutS: number;
  readonly concurrency: number;
  readonly serviceMs: number;
  readonly sloMs: number;
}

/** The share of requests whose added latency an SLO bounds (p99). */
export const SLO_QUANTILE = 0.99;

export interface VariantPlan {
  readonly scenario: string;
  readonly variant: Variant;
  readonly samples: number;
  readonly meanStartupMs: number;
  /** Share of requests that meet a cold start (the one that triggers it and those that arrive during it). */
  readonly coldShare: number;
  readonly coldStartsPerHour: number;
  /** Added latency percentiles over all requests (0 for those that find an instance up). */
  readonly addedLatencyMs: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly instances: number;
  readonly instanceSecondsPerHour: number;
  /** Share of startups slower than the SLO. */
  readonly startupsOverSlo: number;
  /**
   * Shortest idle timeout for which the p99 added latency meets the SLO; every longer one meets
   * it too (null: any timeout does, the startups themselves are fast enough).
   */
  readonly minIdleTimeoutForSloS: number | null;
}

/** An empirical startup distribution (seconds), each measured startup equally likely. */
class Startups {
  readonly sorted: readonly number[];
  readonly meanS: number;
  constructor(startupsMs: readonly number[]) {
    this.sorted = [...startupsMs].map((ms) => ms / 1000).sort((a, b) => a - b);
    this.meanS = this.sorted.reduce((a, b) => a + b, 0) / this.sorted.length;
  }
  /** P(S > x) */
  over(x: number): number {
    return this.sorted.filter((s) => s > x).length / this.sorted.length;
  }
  /** E[(S - x)+] */
  excess(x: number): number {
    return this.sorted.reduce((a, s) => a + Math.max(0, s - x), 0) / this.sorted.length;
  }
  get max(): number {
    return this.sorted[this.sorted.length - 1] as number;
  }
}

/** P(added latency > x seconds) for a random request. */
function waitOver(s: Startups, lambda: number, p: number, x: number): number {
  return (p * (s.over(x) + lambda * s.excess(x))) / (1 + p * lambda * s.meanS);
}

/** The q-quantile of the added latency (seconds): the least x with P(W > x) <= 1 - q. */
function waitQuantile(s: Startups, lambda: number, p: number, q: number): number {
  const level = 1 - q;
  if (waitOver(s, lambda, p, 0) <= level) return 0;
  let lo = 0;
  let hi = s.max;
  for (let i = 0; i < 60; i += 1) {
    const mid = (lo + hi) / 2;
    if (waitOver(s, lambda, p, mid) <= level) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** P(added latency > xMs) for a random request under this plan's input (the model's survival function). */
export function addedLatencyOver(startupsMs: readonly number[], input: PlanInput, xMs: number): number {
  const s = new Startups(startupsMs);
  return waitOver(s, input.arrivalRatePerS, Math.exp(-input.arrivalRatePerS * input.idleTimeoutS), xMs / 1000);
}

export function planVariant(
  scenario: string,
  variant: Variant,
  startupsMs: readonly number[],
  input: PlanInput,
): VariantPlan {
  if (startupsMs.length === 0) throw new RangeError('a plan needs at least one measured startup');
  if (!(input.arrivalRatePerS > 0)) throw new RangeError('a plan needs an arrival rate above 0');
  const s = new Startups(startupsMs);
  const lambda = input.arrivalRatePerS;
  const m = s.meanS;
  const p = Math.exp(-lambda * input.idleTimeoutS);
  const upFraction = (1 - p + p * lambda * m) / (1 + p * lambda * m);
  const cycleS = m + 1 / (lambda * p);
  const instances = Math.max(1, Math.ceil((lambda * input.serviceMs) / 1000 / input.concurrency));
  const slo = input.sloMs / 1000;
  const level = 1 - SLO_QUANTILE;
  // P(W > SLO) <= level  <=>  p·(A - level·λm) <= level, with A = P(S > SLO) + λ·E[(S - SLO)+]
  const need = s.over(slo) + lambda * s.excess(slo) - level * lambda * m;
  const minIdle = need <= level ? null : Math.log(need / level) / lambda;
  const ms = (q: number): number => 1000 * waitQuantile(s, lambda, p, q);
  return {
    scenario,
    variant,
    samples: s.sorted.length,
    meanStartupMs: 1000 * m,
    coldShare: waitOver(s, lambda, p, 0),
    coldStartsPerHour: 3600 / cycleS,
    addedLatencyMs: { p50: ms(0.5), p95: ms(0.95), p99: ms(SLO_QUANTILE) },
    instances,
    instanceSecondsPerHour: 3600 * upFraction * instances,
    startupsOverSlo: s.over(slo),
    minIdleTimeoutForSloS: minIdle,
  };
}
