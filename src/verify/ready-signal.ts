import { parseLogLine, parseSelfReportedSeconds } from '../core/liberty-log.js';
import { MSG_SERVER_READY } from '../core/liberty-messages.js';
import { runtimeOf, type Scenario } from '../scenario/types.js';

/** Spring Boot's own ready line: "Started LibraryApplication in 3.456 seconds (process running for 3.9)". */
export const SPRING_BOOT_READY_LINE = 'Started \\S+ in [0-9.]+ seconds';

/** A leading ISO-8601 timestamp with its offset (Spring Boot's console: 2026-12-07T18:40:01.123Z or +01:00). */
const ISO_AT_START = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))\s/;

/** What a ready line tells: its own timestamp (when it has one) and the server's own "started in". */
export interface ReadyLine {
  readonly loggedAt: number | undefined;
  readonly selfReportedSeconds: number | undefined;
}

/** The line that says a start is ready: Liberty's CWWKF0011I, or the plain JVM's line the scenario names. */
export interface ReadySignal {
  /** How messages name it: "CWWKF0011I", or "the ready line /.../". */
  readonly name: string;
  /** What a line tells when it is the ready line; undefined for any other line. */
  match(line: string): ReadyLine | undefined;
}

export const LIBERTY_READY: ReadySignal = {
  name: MSG_SERVER_READY,
  match(line) {
    if (!line.includes(MSG_SERVER_READY)) return undefined;
    const parsed = parseLogLine(line);
    if (parsed.messageId !== MSG_SERVER_READY) return undefined;
    return { loggedAt: parsed.timestampMs, selfReportedSeconds: parseSelfReportedSeconds(parsed.text) };
  },
};

/** A plain JVM's ready: the first line matching the pattern; its time from a leading ISO-8601 timestamp with offset. */
export function lineReady(pattern: string): ReadySignal {
  const re = new RegExp(pattern);
  return {
    name: `the ready line /${pattern}/`,
    match(line) {
      if (!re.test(line)) return undefined;
      const iso = ISO_AT_START.exec(line)?.[1];
      const at = iso !== undefined ? Date.parse(iso) : Number.NaN;
      return {
        loggedAt: Number.isFinite(at) ? at : undefined,
        selfReportedSeconds: parseSelfReportedSeconds(line),
      };
    },
  };
}

/** The ready line of a scenario's runtime (Liberty unless the scenario, as an arm made it, runs on a plain JVM). */
export function readySignalOf(scenario: Pick<Scenario, 'runtime' | 'javaReadyLine'>): ReadySignal {
  return runtimeOf(scenario) === 'java' ? lineReady(scenario.javaReadyLine ?? SPRING_BOOT_READY_LINE) : LIBERTY_READY;
}
