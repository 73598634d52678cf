import { round } from '../core/clock.js';
import type { AttachedContainer, Engine, ProcessStatus } from '../engine/engine.js';
import type { RampUpRecord, RunMetrics, RunRecord, RunStatus } from '../results/types.js';
import { processCpuMs } from './cpu-busy.js';
import { type ProbeResult } from '../core/http-probe.js';
import { rampFigures } from './ramp-up.js';
import { compact, type StartSpec, sameCpus, sinceLaunch } from './start-parts.js';
import { type ReadyMark } from '../verify/output-watch.js';

/** The ramp-up's figures as metrics, so statistics, compare and the exports treat them like the others. */
export function rampMetrics(r: RampUpRecord): Partial<RunMetrics> {
  const f = rampFigures(r);
  return compact({
    rampPeakRps: f.peakRps,
    rampTo90OwnPeakMs: f.to90OwnPeakMs,
    rampRequests10s: f.first10s,
    rampRequests30s: f.first30s,
    rampRequests60s: f.first60s,
    rssUnderLoadKb: r.rssEndKb,
    hwmUnderLoadKb: r.hwmEndKb,
  });
}

/**
 * CPU time on the server CPUs since launch that was not this start's: busy time (/proc/stat)
 * minus the container's cgroup and the podman client. What remains includes small helpers
 * (conmon, runc, the kernel's own work for the container), so only a large share means
 * foreign load; undefined when a figure could not be read.
 */
export async function foreignCpuMs(
  engine: Engine,
  name: string,
  child: AttachedContainer,
  busyBefore: number | undefined,
  busyAfter: number | undefined,
): Promise<number | undefined> {
  const [container, client] = [await engine.containerCpuMs(name), await processCpuMs(child.clientPid)];
  if (busyBefore === undefined || busyAfter === undefined || container === undefined || client === undefined)
    return undefined;
  return round(Math.max(0, busyAfter - busyBefore - container - client), 1);
}

/** Only the defined fields: a record lists what was measured, never a key with no value. */
export const opt = <T extends object>(o: T): Partial<T> => compact(o) as Partial<T>;

/** The results-file record of a start, times relative to its launch. */
export function startRecord(
  spec: StartSpec,
  m: {
    name: string;
    launchedAt: Date;
    t0: number;
    startedAtMs: number | undefined;
    stealBefore: number | undefined;
    ending: Ending;
    output: readonly string[];
  },
): RunRecord {
  const { ending: e, t0, startedAtMs } = m;
  const loggedAt = e.ready?.loggedAt;
  const metrics = compact({
    containerStartedMs: sinceLaunch(t0, startedAtMs),
    readyMs: sinceLaunch(t0, loggedAt),
    readySeenMs: sinceLaunch(t0, e.ready?.seenAt),
    // A line is never read before it is logged: below 0 is the log timestamp's millisecond granularity (a negative
    // lag made a results file the tool itself refused to read back).
    readyDetectionLagMs:
      e.ready && loggedAt !== undefined ? Math.max(0, round(e.ready.seenAt - loggedAt, 1)) : undefined,
    readyAfterContainerStartMs:
      loggedAt !== undefined && startedAtMs !== undefined ? round(loggedAt - startedAtMs, 1) : undefined,
    firstResponseMs: sinceLaunch(t0, e.response?.atMs),
    firstResponseAfterContainerStartMs:
      e.response && startedAtMs !== undefined ? round(e.response.atMs - startedAtMs, 1) : undefined,
    rssAfterReadyKb: e.afterReady?.vmRssKb,
    hwmAfterReadyKb: e.afterReady?.vmHwmKb,
    rssAfterFirstResponseKb: e.afterFirst?.vmRssKb,
    hwmAfterFirstResponseKb: e.afterFirst?.vmHwmKb,
    serverCpuStealMs:
      m.stealBefore !== undefined && e.stealAfter !== undefined ? round(e.stealAfter - m.stealBefore, 1) : undefined,
    serverCpuForeignMs: e.foreignMs,
    harnessCpuOtherMs: e.harnessOtherMs,
  });
  const observed = e.afterFirst?.cpusAllowedList ?? e.afterReady?.cpusAllowedList;
  const r = e.response;
  return {
    scenario: spec.scenario.name,
    variant: spec.variant,
    iteration: spec.iteration,
    warmup: spec.warmup,
    status: e.status,
    launchedAt: m.launchedAt.toISOString(),
    container: m.name,
    image: spec.image,
    cpus: {
      pin: spec.pin,
      requested: spec.serverCpus,
      ...(observed !== undefined ? { observed, matches: sameCpus(observed, spec.serverCpus) } : {}),
    },
    metrics,
    selfReported: e.ready?.selfReportedSeconds !== undefined ? { startedSeconds: e.ready.selfReportedSeconds } : {},
    ...(r
      ? {
          firstResponse: {
            url: spec.scenario.firstResponse.path,
            status: r.status,
            attempts: r.attempts,
            bodySample: r.bodySample,
          },
        }
      : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
    ...(e.status !== 'ok' ? { outputTail: m.output.slice(-OUTPUT_TAIL_LINES) } : {}),
  };
}

export const OUTPUT_TAIL_LINES = 60;

/** How a start ended before its record is written: status, error, and what was measured on the way. */
export interface Ending {
  status: RunStatus;
  error?: string;
  ready?: ReadyMark;
  response?: ProbeResult;
  afterReady?: ProcessStatus;
  afterFirst?: ProcessStatus;
  stealAfter?: number;
  /** CPU time on the server CPUs from launch to the first response that was not this start's. */
  foreignMs?: number;
  /** CPU time on the harness CPUs that was not the harness process's own (ms). */
  harnessOtherMs?: number;
}
