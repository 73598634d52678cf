import { nowMs } from '../core/clock.js';
import { parseLogLine, parseSelfReportedSeconds } from '../core/liberty-log.js';
import { MSG_SERVER_READY } from '../core/liberty-messages.js';
import type { AttachedContainer } from '../engine/engine.js';

/** Lines of a server's output kept per start (the rest is read and dropped). */
export const MAX_KEPT_OUTPUT_LINES = 5_000;

/** When the CWWKF0011I line was read (host clock), its own timestamp, and Liberty's "started in". */
export interface ReadyMark {
  readonly seenAt: number;
  readonly loggedAt: number | undefined;
  readonly selfReportedSeconds: number | undefined;
}

/**
 * Stream the server's output line by line (no polling): keep it (capped) and resolve `ready`
 * at the first CWWKF0011I. `done` settles when the output ends.
 */
export function watchOutput(child: AttachedContainer): {
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
      if (seen || !line.includes(MSG_SERVER_READY)) continue;
      const parsed = parseLogLine(line);
      if (parsed.messageId !== MSG_SERVER_READY) continue;
      seen = true;
      signal({ seenAt: at, loggedAt: parsed.timestampMs, selfReportedSeconds: parseSelfReportedSeconds(parsed.text) });
    }
  })();
  return { output, ready, done };
}
