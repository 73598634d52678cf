import { round } from '../core/clock.js';
import { parseCpuList } from '../core/cpu-list.js';
import type { AttachedContainer, ContainerLimits, Engine, Privilege, RunSpec } from '../engine/engine.js';
import { LABEL_SCENARIO, LABEL_SESSION, LABEL_TOOL, LABEL_VARIANT } from '../engine/labels.js';
import { type PinMethod } from '../results/config-types.js';
import type { Scenario } from '../scenario/types.js';
import type { Variant } from '../scenario/variants.js';

/** The pieces of one start: its container spec, its output watch, its timers and its removal. */

/** What to start: the scenario's image in a variant, pinned, with its timeout. */
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
  /** What the container may do (a restore's capabilities). */
  readonly privilege?: Privilege;
  /** Resource limits (an A/B arm's slowed server). */
  readonly limits?: ContainerLimits;
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** podman network to join (scenarios with services). */
  readonly network?: string;
  /** Files to copy out of the container before it is removed (logs for verification). */
  readonly collect?: readonly string[];
  /** Liberty's work area at launch: primed at build time (default) or cleared by `server run --clean`. */
  readonly workArea?: 'primed' | 'clean';
  /** --ramp-up: load the server for this long after its first response. */
  readonly rampUp?: { readonly seconds: number; readonly concurrency: number };
  /** Binary files to copy out (CRIU's stats-restore). */
  readonly collectBytes?: readonly string[];
  /** Ctrl-C: end the start at once (the caller discards it). */
  readonly abort?: AbortSignal;
}

/** How long the end of a start waits for the podman client and the readers to finish. */
export const SETTLE_TIMEOUT_MS = 5_000;
/** How long the podman client gets to exit after its container was removed before removing again. */
export const REMOVE_RETRY_MS = 1_000;

export function containerName(spec: StartSpec): string {
  const kind = spec.warmup ? 'w' : 'r';
  return `ib-${spec.sessionId}-${spec.scenario.name}-${spec.variant}-${kind}${spec.iteration}`
    .toLowerCase()
    .replace(/[^a-z0-9_.-]/g, '-');
}

/** The server container of a start, its port published on loopback only. */
export function serverRunSpec(spec: StartSpec, name: string, port: number): RunSpec {
  return {
    name,
    image: spec.image,
    labels: {
      [LABEL_TOOL]: 'run',
      [LABEL_SESSION]: spec.sessionId,
      [LABEL_SCENARIO]: spec.scenario.name,
      [LABEL_VARIANT]: spec.variant,
    },
    publish: [{ hostIp: '127.0.0.1', hostPort: port, containerPort: spec.scenario.httpPort }],
    // restoreEnv and restoreMounts reach restores and cold starts, never the checkpoint run.
    env: { ...spec.scenario.env, ...spec.scenario.restoreEnv, ...(spec.extraEnv ?? {}) },
    mounts: { ...spec.scenario.mounts, ...spec.scenario.restoreMounts },
    pinning: { method: spec.pin, cpus: spec.serverCpus },
    ...(spec.network ? { network: { name: spec.network } } : {}),
    ...(spec.privilege ? { privilege: spec.privilege } : {}),
    ...(spec.limits ? { limits: spec.limits } : {}),
  };
}

/** Timers of one start, all cleared when it ends, so no timer keeps the process alive. */
export class StartTimers {
  private readonly handles = new Set<NodeJS.Timeout>();
  private readonly cleanups: Array<() => void> = [];

  /** Also run this when the start ends (listeners on the run's signals). */
  onClear(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.handles.delete(t);
        resolve();
      }, ms);
      this.handles.add(t);
    });
  }

  clear(): void {
    for (const t of this.handles) clearTimeout(t);
    this.handles.clear();
    for (const c of this.cleanups.splice(0)) c();
  }
}

/**
 * Resolves 'aborted' when the signal fires (or already has). The listener is the start's:
 * `dispose` removes it when the start ends, so a long run does not pile listeners on the
 * run's one stop signal.
 */
export function whenAborted(signal: AbortSignal | undefined): { promise: Promise<'aborted'>; dispose: () => void } {
  let listener: (() => void) | undefined;
  const promise = new Promise<'aborted'>((resolve) => {
    if (signal?.aborted) resolve('aborted');
    listener = () => resolve('aborted');
    signal?.addEventListener('abort', listener, { once: true });
  });
  return { promise, dispose: () => listener && signal?.removeEventListener('abort', listener) };
}

/**
 * Remove a start's container on every path. A start can end (timeout, Ctrl-C) while
 * `podman run` is still creating the container: `rm` then finds nothing and the container
 * appears afterwards, with the attached client waiting on it. So: remove until the client
 * has exited (it does once its container is gone), kill the client if it never does, and
 * remove once more when the container was never seen.
 */
export async function removeStartContainer(
  engine: Engine,
  name: string,
  child: AttachedContainer,
  timers: StartTimers,
  seen: boolean,
): Promise<void> {
  const clientDone = child.exited.then(
    () => true as const,
    () => true as const,
  );
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let exited = false;
  while (!exited && Date.now() < deadline) {
    await engine.removeContainer(name);
    exited = await Promise.race([clientDone, timers.delay(REMOVE_RETRY_MS).then(() => false as const)]);
  }
  if (!exited) {
    child.kill('SIGKILL');
    await Promise.race([clientDone, timers.delay(1_000)]);
    await engine.removeContainer(name);
  } else if (!seen) {
    await engine.removeContainer(name);
  }
}

export function sameCpus(a: string, b: string): boolean {
  try {
    return parseCpuList(a).join(',') === parseCpuList(b).join(',');
  } catch {
    return false; // a list the kernel printed that we cannot parse: not proven to match
  }
}

/** Milliseconds from t0, one decimal; undefined stays undefined. */
export const sinceLaunch = (t0: number, at: number | undefined): number | undefined =>
  at === undefined ? undefined : round(at - t0, 1);

export function compact<T extends object>(obj: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
