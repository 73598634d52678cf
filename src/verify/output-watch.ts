import { nowMs } from '../core/clock.js';
import type { AttachedContainer } from '../engine/engine.js';
import { LIBERTY_READY, type ReadySignal } from './ready-signal.js';

/** Lines of a server's output kept per start (the rest is read and dropped). */
export const MAX_KEPT_OUTPUT_LINES = 5_000;

/** When the ready line (CWWKF0011I, or a plain JVM's) was read (host clock), its own timestamp, and its "started in". */
export interface ReadyMark {
  readonly seenAt: number;
  readonly loggedAt: number | undefined;
  readonly selfReportedSeconds: number | undefined;
}

/**
 * Stream the server's output line by line (no polling): keep it (capped) and resolve `ready`
 * at the first ready line (Liberty's CWWKF0011I unless told another). `done` settles when the output ends.
 */
export function watchOutput(
  child: AttachedContainer,
  readySignal: ReadySignal = LIBERTY_READY,
): {
  output: string[];
  ready: Promise<ReadyMark>;
  done: Promise<void>;
} {
  const output: string[] = [];
  let signal: (m: ReadyMark) => void = () => undefined;
  const ready = new Promise<ReadyMark>((resolve) => {
    signal = resolve;
  });
  let seen = false;
  const done = (async () => {
    for await (const line of child.lines) {
      const at = nowMs();
      if (output.length < MAX_KEPT_OUTPUT_LINES) output.push(line);
      if (seen) continue;
      const ready = readySignal.match(line);
      if (!ready) continue;
      seen = true;
      signal({ seenAt: at, ...ready });
    }
  })();
  return { output, ready, done };
}
