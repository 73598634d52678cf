import { EngineError } from '../core/errors.js';
import type { Engine } from '../engine/engine.js';
import type { RunningService } from '../services/postgres.js';

/**
 * What a start depends on besides the server: its image and the scenario's services. A start
 * that failed because one of them went away is not the server's failure: the run stops
 * (exit 3) naming the cause, and that start is shown, not recorded.
 */

/** How often the services are looked at during a start (from /proc: no podman call). */
export const SERVICE_WATCH_MS = 1_000;

export async function checkServices(services: readonly RunningService[]): Promise<void> {
  const problem = await deadService(services);
  if (problem !== undefined) throw serviceDown(problem);
}

/** The first service that does not serve, if any. */
export async function deadService(services: readonly RunningService[]): Promise<string | undefined> {
  for (const s of services) {
    const problem = await s.check();
    if (problem !== undefined) return problem;
  }
  return undefined;
}

export function serviceDown(problem: string): EngineError {
  return new EngineError(
    `${problem}: the run stops here (every start before this one is in the results file)`,
    'find out why it stopped (memory, a kill, the disk), then continue with instanton-bench run --resume FILE',
  );
}

/** A signal for one start: aborted by the run's own stop, or as soon as a service's container process is gone. */
export function watchServicesDuring(
  services: readonly RunningService[],
  stop: AbortSignal,
): { signal: AbortSignal; dispose(): void } {
  if (services.length === 0) return { signal: stop, dispose: () => undefined };
  const died = new AbortController();
  const timer = setInterval(() => {
    if (services.some((s) => !s.alive())) died.abort();
  }, SERVICE_WATCH_MS);
  return { signal: AbortSignal.any([stop, died.signal]), dispose: () => clearInterval(timer) };
}

/**
 * The image a start is about to run is the one the run began with: still in local storage
 * (never pulled: containers run with --pull=never) and still the same image ID under its tag
 * (a build made meanwhile would otherwise be measured under the old name).
 */
export async function checkImageUnchanged(engine: Engine, tag: string, ids: Map<string, string>): Promise<void> {
  // One podman call: inspecting an image that is not there fails.
  const id = await engine.imageId(tag).catch(() => undefined);
  if (id === undefined) throw imageGone(tag);
  const first = ids.get(tag);
  if (first === undefined) ids.set(tag, id);
  else if (first !== id) {
    throw new EngineError(
      `image ${tag} changed during the run (was ${first.slice(0, 12)}, now ${id.slice(0, 12)}: a build replaced it): ` +
        `the run stops here rather than measure two images under one name`,
      'do not build while a run measures; start a new run (--out another.json) to measure the new image',
    );
  }
}

export function imageGone(tag: string): EngineError {
  return new EngineError(
    `image ${tag} is no longer in local storage (removed during the run?): the run stops here (every start before ` +
      `this one is in the results file)`,
    'build it again (instanton-bench build, the same --variants), then continue with instanton-bench run --resume FILE',
  );
}
