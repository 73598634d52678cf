import { isMeasuredOk } from '../results/keys.js';
import { isBaselineVariant, provesRestore, recipeOf } from '../scenario/variants.js';
import { median } from 'simple-statistics';
import type { RunRecord } from '../results/types.js';

/** A start loses at least this much CPU to the hypervisor, and this share of its span, to be named. */
export const HOST_STEAL_MIN_MS = 50;
export const HOST_STEAL_SHARE = 0.05;

/**
 * Restores of a started application (afterAppStart) slower than half the cold median of their scenario are suspect: a
 * restore that works is far faster than that, so something else happened; and starts that
 * lost a real share of their CPU to the hypervisor are named.
 */

/**
 * CPU time on the server CPUs that was not the start's own, beyond which a start is named:
 * what the accounting cannot attribute (conmon, runc, the kernel's work for the container)
 * stays below this on an idle machine (measured: see README).
 */
export const FOREIGN_CPU_MIN_MS = 400;
export const FOREIGN_CPU_SHARE = 0.25;
/** Below this share of busy server CPU under --ramp-up load, the throughput is the load's, not the server's. */
export const RAMP_SATURATED_PCT = 80;

/** A start whose harness CPUs were this many times busier with other work than the run's median start was. */
export const HARNESS_OTHER_FACTOR = 3;

/**
 * What else ran on the harness CPUs: podman, conmon and runc do their part of every start there, so a start is named
 * only when other work there exceeds both FOREIGN_CPU_MIN_MS and HARNESS_OTHER_FACTOR times the run's median start
 * (a neighbour's jobs): its launch and its container's set-up were slowed by them.
 */
function harnessLoad(runs: readonly RunRecord[]): string[] {
  const measured = runs.filter((r) => !r.warmup && r.status === 'ok' && r.metrics.harnessCpuOtherMs !== undefined);
  if (measured.length < 2) return [];
  const typical = median(measured.map((r) => r.metrics.harnessCpuOtherMs as number));
  return measured
    .filter(
      (r) => (r.metrics.harnessCpuOtherMs as number) >= Math.max(FOREIGN_CPU_MIN_MS, HARNESS_OTHER_FACTOR * typical),
    )
    .map(
      (r) =>
        `harness load: ${r.scenario} ${r.variant}${r.arm !== undefined ? ` (arm ${r.arm})` : ''} run ${r.iteration}: ` +
        `other processes took ${r.metrics.harnessCpuOtherMs} ms of the harness CPU(s) during it, against ` +
        `${Math.round(typical)} ms for the run's median start (podman, conmon and runc): a neighbour ran there, and ` +
        'its launch and container set-up were slowed by it',
    );
}

export function findSuspects(runs: readonly RunRecord[]): string[] {
  const out: string[] = [];
  const scenarios = new Set(runs.map((r) => r.scenario));
  for (const scenario of scenarios) {
    const cold = runs
      .filter((r) => r.scenario === scenario && isBaselineVariant(r.variant) && isMeasuredOk(r))
      .map((r) => r.metrics.readyMs)
      .filter((x): x is number => x !== undefined)
      .sort((a, b) => a - b);
    if (cold.length === 0) continue;
    const half = median(cold) / 2;
    for (const r of runs) {
      // Only restores can silently be something else (a cold start); an AOT-cache start is a cold start. A restore
      // from before the application started still runs the application's start, which can be most of a cold start
      // (a Spring Boot application: 35.5 s against 36.5 s cold here): only a restore of a started one is held to it.
      if (r.scenario !== scenario || !provesRestore(r.variant) || r.warmup || r.status !== 'ok') continue;
      if (!recipeOf(r.variant)?.appStartedInCheckpoint) continue;
      if ((r.metrics.readyMs ?? 0) > half) {
        out.push(
          `suspect: ${scenario} ${r.variant} run ${r.iteration} was ready in ${r.metrics.readyMs} ms, slower than ` +
            `half the cold median (${half.toFixed(0)} ms)`,
        );
      }
    }
  }
  for (const r of runs) {
    const ramp = r.rampUp;
    if (!ramp || r.warmup || r.status !== 'ok') continue;
    if (ramp.errors > 0)
      out.push(
        `ramp-up errors: ${r.scenario} ${r.variant} run ${r.iteration}: ${ramp.errors} of ` +
          `${ramp.requests + ramp.errors} responses were errors (status ${ramp.errorKinds.status}, body ` +
          `${ramp.errorKinds.body}, transport ${ramp.errorKinds.transport})`,
      );
    if (ramp.serverCpuBusyPct !== undefined && ramp.serverCpuBusyPct < RAMP_SATURATED_PCT)
      out.push(
        `ramp-up not server-bound: ${r.scenario} ${r.variant} run ${r.iteration}: the server CPUs were ` +
          `${ramp.serverCpuBusyPct}% busy under the load, so the load (concurrency ${ramp.concurrency}, or the ` +
          `harness) set the throughput, not the server; raise --ramp-concurrency`,
      );
  }
  // What else took the server's CPU during a start: the hypervisor (steal), then other processes (foreign).
  const contention: string[] = [];
  const foreignLoad: string[] = [];
  for (const r of runs) {
    const span = r.metrics.firstResponseMs;
    if (r.warmup || r.status !== 'ok' || span === undefined) continue;
    const { serverCpuStealMs: steal, serverCpuForeignMs: foreign } = r.metrics;
    if (steal !== undefined && steal >= Math.max(HOST_STEAL_MIN_MS, HOST_STEAL_SHARE * span))
      contention.push(
        `host contention: ${r.scenario} ${r.variant} run ${r.iteration}: the hypervisor took ${steal} ms of the ` +
          `server CPU(s) (steal) in its ${span} ms; that start's times include it`,
      );
    if (foreign !== undefined && foreign >= Math.max(FOREIGN_CPU_MIN_MS, FOREIGN_CPU_SHARE * span))
      foreignLoad.push(
        `foreign load: ${r.scenario} ${r.variant}${r.arm !== undefined ? ` (arm ${r.arm})` : ''} run ${r.iteration}: ` +
          `${foreign} ms of the server CPU(s) in its ${span} ms went to processes that were not this start's; its ` +
          `times are skewed`,
      );
  }
  out.push(...contention, ...foreignLoad, ...harnessLoad(runs));
  return out;
}
