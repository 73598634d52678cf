import path from 'node:path';
import { takeLease, type LeaseBody } from '../core/lease.js';

/**
 * One image build at a time per cache (per machine, by default): `build.lock` in the cache
 * directory holds the builder's pid, start time and command. A second `build` (or a `run`
 * that builds) waits for the first, saying which process it waits for, then finds the first
 * one's images in the cache instead of making them again on the same CPU, and the tags are
 * never set by two builds racing each other. A lock whose process is gone is taken over.
 */
export const BUILD_LOCK_POLL_MS = 1_000;
/** How often the waiting line is repeated. */
export const BUILD_LOCK_REMIND_MS = 30_000;

/** What build.lock holds: who builds (PID and start time tell a live process from a reused PID), and since when. */
export type BuildLockBody = LeaseBody;

export interface BuildLock {
  release(): Promise<void>;
}

export function buildLockPath(cache: string): string {
  return path.join(cache, 'build.lock');
}

export function describeBuilder(b: BuildLockBody): string {
  return `instanton-bench ${b.command} (pid ${b.pid}, since ${b.since})`;
}

/** Take the build lock, waiting while a live process holds it; `say` gets the waiting lines. */
export async function lockBuild(
  cache: string,
  command: string,
  say: (line: string) => void,
  signal?: AbortSignal,
  pollMs = BUILD_LOCK_POLL_MS,
): Promise<BuildLock> {
  let lastSaid = 0;
  return takeLease(buildLockPath(cache), command, {
    pollMs,
    ...(signal ? { signal } : {}),
    onHeld: (held) => {
      if (Date.now() - lastSaid < BUILD_LOCK_REMIND_MS) return;
      say(
        `waiting for ${describeBuilder(held)}, which is building images in ${cache}; its images will then be used ` +
          `from the cache (Ctrl-C to give up)`,
      );
      lastSaid = Date.now();
    },
  });
}
