import { MIN_SIZED_TIMEOUT_MS, TIMEOUT_COLD_FACTOR } from './defaults.js';
import { isBaselineVariant } from '../scenario/variants.js';
import type { Scenario } from '../scenario/types.js';
import type { ScenarioImages } from '../images/stack.js';
import { armLimits } from './arms.js';
import type { PlannedStart, RunRecord } from '../results/types.js';
import { DEFAULT_RAMP_CONCURRENCY } from '../measure/ramp-defaults.js';

import type { PlanContext } from './plan-context.js';

/** What a planned start runs with: its scenario, CPUs, timeout, the arm's limits, the ramp-up, the services' network. */
export function startSpecOf(
  ctx: PlanContext,
  planned: PlannedStart,
  s: { scenario: Scenario; img: ScenarioImages; sessionId: string; abort: AbortSignal },
) {
  const { scenario, img, sessionId, abort } = s;
  const config = ctx.results.config;
  const arm = config.arms?.find((a) => a.name === planned.arm);
  return {
    scenario,
    variant: planned.variant,
    iteration: planned.iteration,
    warmup: planned.warmup,
    sessionId,
    pin: config.pin,
    serverCpus: config.serverCpus,
    readyTimeoutMs: config.readyTimeoutMs ?? sizedTimeoutMs(ctx.results.runs, scenario.name, scenario.readyTimeoutMs),
    abort,
    ...(arm && (arm.cpus !== undefined || arm.memory !== undefined) ? { limits: armLimits(arm) } : {}),
    ...(config.rampUpS !== undefined
      ? {
          rampUp: {
            seconds: config.rampUpS,
            concurrency: config.rampConcurrency ?? scenario.load.concurrency ?? DEFAULT_RAMP_CONCURRENCY,
          },
        }
      : {}),
    ...(img.services ? { network: img.services.network } : {}),
  };
}

/** The time since the previous start ended (the harness's gap), and the arm, on the start's record. */
export function withHarnessGap(
  measured: RunRecord,
  previousEnd: number | undefined,
  arm: string | undefined,
): RunRecord {
  const since =
    previousEnd !== undefined && measured.harness
      ? Math.round((Date.parse(measured.launchedAt) - previousEnd) * 10) / 10
      : undefined;
  const timed: RunRecord =
    since !== undefined && since >= 0 && measured.harness
      ? { ...measured, harness: { ...measured.harness, sincePreviousMs: since } }
      : measured;
  return arm !== undefined ? { ...timed, arm } : timed;
}

/**
 * A start's timeout: the scenario's (180 s by default) until a cold start of the scenario has
 * been measured, then TIMEOUT_COLD_FACTOR times the slowest cold start so far (at least
 * MIN_SIZED_TIMEOUT_MS, at most the scenario's), so a hung start costs little.
 */
export function sizedTimeoutMs(runs: readonly RunRecord[], scenario: string, scenarioTimeoutMs: number): number {
  const cold = runs
    .filter((r) => r.scenario === scenario && isBaselineVariant(r.variant) && r.status === 'ok')
    .map((r) => r.metrics.firstResponseMs ?? r.metrics.readyMs)
    .filter((v): v is number => typeof v === 'number');
  if (cold.length === 0) return scenarioTimeoutMs;
  return Math.min(
    scenarioTimeoutMs,
    Math.max(MIN_SIZED_TIMEOUT_MS, Math.round(TIMEOUT_COLD_FACTOR * Math.max(...cold))),
  );
}
