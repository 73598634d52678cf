import { LABEL_SCENARIO, LABEL_SESSION, LABEL_TOOL, LABEL_VARIANT } from '../engine/labels.js';
import type { AttachedContainer, Engine, ProcessStatus } from '../engine/engine.js';
import type { PinMethod, RunMetrics, RunRecord, RunStatus } from '../results/types.js';
import type { Scenario } from '../scenario/types.js';
import type { Variant } from '../scenario/variants.js';
import { nowMs, parseRfc3339Ms, round } from '../core/clock.js';
import { parseCpuList } from '../core/cpu-list.js';
import { readStealMs } from './cpu-steal.js';
import { freePort } from './free-port.js';
import { pollFirstResponse, type ProbeResult } from './http-probe.js';
import { parseLogLine, parseSelfReportedSeconds } from '../core/liberty-log.js';
import { MSG_SERVER_READY } from '../core/liberty-messages.js';

export const OUTPUT_TAIL_LINES = 60;
export const MAX_KEPT_OUTPUT_LINES = 5_000;

export interface StartSpec {
  readonly scenario: Scenario;
  readonly variant: Variant;
  readonly iteration: number;
  readonly warmup: boolean;
  readonly image: string;
  readonly sessionId: string;
  readonly pin: PinMethod;
  readonly serverCpus: string;
  readonly readyTimeoutMs: number;
  /** Extra podman run flags of the variant (capabilities for restores, ...). */
  readonly extraFlags?: readonly string[];
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** podman network to join (scenarios with services). */
  readonly network?: string;
  /** Files to copy out of the container before it is removed (logs for verification). */
  readonly collect?: readonly string[];
  /** Ctrl-C: end the start at once (the caller discards it). */
  readonly abort?: AbortSignal;
}

/** How long the end of a start waits for the podman client and the readers to finish. */
export const SETTLE_TIMEOUT_MS = 5_000;
/** How long the podman client gets to exit after its container was removed before removing again. */
export const REMOVE_RETRY_MS = 1_000;

/** Resolve after ms without keeping the process alive once the race is over. */
function delay(ms: number, handles: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      handles.delete(t);
      resolve();
    }, ms);
    handles.add(t);
  });
}

/** What a start produced before classification: the caller verifies restores from it. */
export interface StartOutcome {
  readonly record: RunRecord;
  /** Every line the server printed (stdout and stderr), capped. */
  readonly output: readonly string[];
  /** The collected files by container path (undefined when absent). */
  readonly files: Readonly<Record<string, string | undefined>>;
  /** Host clock at launch, to place collected timestamps (restoreTime) on the run's axis. */
  readonly launchMs: number;
}

function containerName(spec: StartSpec): string {
  const kind = spec.warmup ? 'w' : 'r';
  return `ib-${spec.sessionId}-${spec.scenario.name}-${spec.variant}-${kind}${spec.iteration}`.toLowerCase().replace(/[^a-z0-9_.-]/g, '-');
}


/**
 * One start of a server container, timed from the host: launch -> container started ->
 * CWWKF0011I (its own timestamp, and when seen) -> first expected HTTP response; memory of
 * the Java process from /proc after ready and after the first response; its CPU affinity.
 * The container is removed in every case.
 */
export async function measureStart(podman: Engine, spec: StartSpec): Promise<StartOutcome> {
  const name = containerName(spec);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}${spec.scenario.firstResponse.path}`;
  const runSpec = {
    name,
    image: spec.image,
    labels: {
      [LABEL_TOOL]: 'run',
      [LABEL_SESSION]: spec.sessionId,
      [LABEL_SCENARIO]: spec.scenario.name,
      [LABEL_VARIANT]: spec.variant,
    },
    publish: [`127.0.0.1:${port}:${spec.scenario.httpPort}`],
    env: { ...spec.scenario.env, ...(spec.extraEnv ?? {}) },
    ...(spec.pin === 'cpuset' ? { cpusetCpus: spec.serverCpus } : {}),
    extra: [...(spec.network ? ['--network', spec.network] : []), ...(spec.extraFlags ?? [])],
  };
  const prefix = spec.pin === 'taskset' ? ['taskset', '-c', spec.serverCpus] : [];
  const output: string[] = [];
  let readySeenAt: number | undefined;
  let readyLoggedAt: number | undefined;
  let selfReportedSeconds: number | undefined;
  let signalReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    signalReady = resolve;
  });
  const probeAbort = new AbortController();
  const serverCpuList = parseCpuList(spec.serverCpus);
  const stealBefore = await readStealMs(serverCpuList);
  const launchedAt = new Date();
  const t0 = nowMs();
  const child = podman.runAttached(runSpec, { prefix });
  const probe = pollFirstResponse(
    {
      url,
      expectStatus: spec.scenario.firstResponse.expectStatus,
      ...(spec.scenario.firstResponse.expectBodyContains !== undefined
        ? { expectBodyContains: spec.scenario.firstResponse.expectBodyContains }
        : {}),
    },
    probeAbort.signal,
  );
  const reading = (async () => {
    for await (const line of child.lines) {
      const at = nowMs();
      if (output.length < MAX_KEPT_OUTPUT_LINES) output.push(line);
      if (readySeenAt === undefined && line.includes(MSG_SERVER_READY)) {
        const parsed = parseLogLine(line);
        if (parsed.messageId === MSG_SERVER_READY) {
          readySeenAt = at;
          readyLoggedAt = parsed.timestampMs;
          selfReportedSeconds = parseSelfReportedSeconds(parsed.text);
          signalReady();
        }
      }
    }
  })();
  const exited = child.exited.then(() => 'exited' as const);
  const timers = new Set<NodeJS.Timeout>();
  const timedOut = delay(spec.readyTimeoutMs, timers).then(() => 'timeout' as const);
  const aborted = new Promise<'aborted'>((resolve) => {
    if (spec.abort?.aborted) resolve('aborted');
    spec.abort?.addEventListener('abort', () => resolve('aborted'), { once: true });
  });

  let status: RunStatus = 'ok';
  let error: string | undefined;
  let afterReady: ProcessStatus | undefined;
  let afterFirst: ProcessStatus | undefined;
  let response: ProbeResult | undefined;
  let startedAtMs: number | undefined;
  let stealAfter: number | undefined;
  const files: Record<string, string | undefined> = {};
  try {
    const first = await Promise.race([ready.then(() => 'ready' as const), exited, timedOut, aborted]);
    if (first === 'aborted') {
      status = 'failed';
      error = 'interrupted';
    } else if (first === 'ready') {
      afterReady = await podman.processStatus(name, 'java');
      const second = await Promise.race([probe.then((r) => r ?? ('aborted' as const)), exited, timedOut, aborted]);
      if (typeof second === 'object') {
        response = second;
        afterFirst = await podman.processStatus(name, 'java');
        stealAfter = await readStealMs(serverCpuList);
      } else if (second === 'timeout') {
        status = 'timed-out';
        error = `ready, but no ${spec.scenario.firstResponse.expectStatus} from ${url} within ${spec.readyTimeoutMs} ms of launch`;
      } else {
        status = 'failed';
        error = `server exited after ready, before a ${spec.scenario.firstResponse.expectStatus} from ${url}`;
      }
    } else if (first === 'timeout') {
      status = 'timed-out';
      error = `no ${MSG_SERVER_READY} within ${spec.readyTimeoutMs} ms of launch`;
    } else {
      const result = await child.exited;
      status = 'failed';
      error = `server container exited (code ${result.exitCode}) before ${MSG_SERVER_READY}`;
    }
    if (!spec.abort?.aborted) {
      // Absent when podman never created the container (a timeout during creation).
      const state = await podman.containerState(name);
      startedAtMs = state?.startedAtIso !== undefined ? parseRfc3339Ms(state.startedAtIso) : undefined;
      for (const file of spec.collect ?? []) files[file] = await podman.readContainerFile(name, file);
    }
  } finally {
    probeAbort.abort();
    await removeStartContainer(podman, name, child, timers, startedAtMs !== undefined);
    await Promise.race([Promise.allSettled([child.exited, reading, probe]), delay(SETTLE_TIMEOUT_MS, timers)]);
    for (const t of timers) clearTimeout(t);
  }

  const rel = (at: number | undefined): number | undefined => (at === undefined ? undefined : round(at - t0, 1));
  const metrics: RunMetrics = compact({
    containerStartedMs: rel(startedAtMs),
    readyMs: rel(readyLoggedAt),
    readySeenMs: rel(readySeenAt),
    readyDetectionLagMs: readySeenAt !== undefined && readyLoggedAt !== undefined ? round(readySeenAt - readyLoggedAt, 1) : undefined,
    readyAfterContainerStartMs:
      readyLoggedAt !== undefined && startedAtMs !== undefined ? round(readyLoggedAt - startedAtMs, 1) : undefined,
    firstResponseMs: rel(response?.atMs),
    firstResponseAfterContainerStartMs:
      response && startedAtMs !== undefined ? round(response.atMs - startedAtMs, 1) : undefined,
    rssAfterReadyKb: afterReady?.vmRssKb,
    hwmAfterReadyKb: afterReady?.vmHwmKb,
    rssAfterFirstResponseKb: afterFirst?.vmRssKb,
    hwmAfterFirstResponseKb: afterFirst?.vmHwmKb,
    serverCpuStealMs: stealBefore !== undefined && stealAfter !== undefined ? round(stealAfter - stealBefore, 1) : undefined,
  });
  const observed = afterFirst?.cpusAllowedList ?? afterReady?.cpusAllowedList;
  const matches = observed === undefined ? undefined : sameCpus(observed, spec.serverCpus);
  const record: RunRecord = {
    scenario: spec.scenario.name,
    variant: spec.variant,
    iteration: spec.iteration,
    warmup: spec.warmup,
    status,
    launchedAt: launchedAt.toISOString(),
    container: name,
    image: spec.image,
    cpus: { pin: spec.pin, requested: spec.serverCpus, ...(observed !== undefined ? { observed, matches } : {}) },
    metrics,
    selfReported: selfReportedSeconds !== undefined ? { startedSeconds: selfReportedSeconds } : {},
    ...(response ? { firstResponse: { url: spec.scenario.firstResponse.path, status: response.status, attempts: response.attempts, bodySample: response.bodySample } } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(status !== 'ok' ? { outputTail: output.slice(-OUTPUT_TAIL_LINES) } : {}),
  };
  return { record, output, files, launchMs: t0 };
}

/**
 * Remove a start's container on every path. A start can end (timeout, Ctrl-C) while
 * `podman run` is still creating the container: `rm` then finds nothing and the container
 * appears afterwards, with the attached client waiting on it. So: remove until the client
 * has exited (it does once its container is gone), kill the client if it never does, and
 * remove once more when the container was never seen.
 */
async function removeStartContainer(podman: Engine, name: string, child: AttachedContainer, timers: Set<NodeJS.Timeout>, seen: boolean): Promise<void> {
  const clientDone = child.exited.then(() => true as const, () => true as const);
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let exited = false;
  while (!exited && Date.now() < deadline) {
    await podman.removeContainer(name);
    exited = await Promise.race([clientDone, delay(REMOVE_RETRY_MS, timers).then(() => false as const)]);
  }
  if (!exited) {
    child.kill('SIGKILL');
    await Promise.race([clientDone, delay(1_000, timers)]);
    await podman.removeContainer(name);
  } else if (!seen) {
    await podman.removeContainer(name);
  }
}

function sameCpus(a: string, b: string): boolean {
  try {
    return parseCpuList(a).join(',') === parseCpuList(b).join(',');
  } catch {
    return false;
  }
}

function compact<T extends object>(obj: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
