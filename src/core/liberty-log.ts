import { MSG_SERVER_READY } from './liberty-messages.js';
/**
 * Parsing of Liberty log lines (messages.log, and the console in SIMPLE format):
 *   [TIMESTAMP] THREADID LOGGER LEVEL MSGID: text
 * Messages are matched by ID, never by wording. Two timestamp styles:
 * - ISO-8601, with bootstrap property com.ibm.ws.logging.isoDateFormat=true:
 *   [2026-11-21T23:22:33.700+0000]
 * - the default, locale dependent: [9/16/23, 7:48:48:361 UTC], on some JDKs with a
 *   12-hour clock and a U+202F (narrow no-break space) before AM/PM or the zone.
 */
export interface LogLine {
  /** Epoch milliseconds of the line's timestamp, when it could be read. */
  readonly timestampMs?: number;
  readonly messageId?: string;
  readonly text: string;
}

export const MESSAGE_ID_PATTERN = /\b([A-Z]{4,5}\d{4}[IWEAS]):\s/;

const ISO_STAMP = /^\[(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})[.,](\d{3})(Z|[+-]\d{2}:?\d{2})\]/;
const LOCALE_STAMP =
  /^\[(\d{1,2})\/(\d{1,2})\/(\d{2,4}),\s(\d{1,2}):(\d{2}):(\d{2}):(\d{3})[\s\u202f\u00a0]*(AM|PM)?[\s\u202f\u00a0]*(UTC|GMT|Z|[+-]\d{2}:?\d{2})?[\s\u202f\u00a0]*\]/;

function offsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === 'Z' || zone === 'UTC' || zone === 'GMT') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 60 + Number(m[3]));
}

export function parseTimestamp(line: string): number | undefined {
  const iso = ISO_STAMP.exec(line);
  if (iso) {
    const [, y, mo, d, h, mi, s, ms, zone] = iso;
    const offset = offsetMinutes(zone);
    if (offset === undefined) return undefined;
    return (
      Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms)) - offset * 60_000
    );
  }
  const loc = LOCALE_STAMP.exec(line);
  if (loc) {
    const [, mo, d, yRaw, hRaw, mi, s, ms, ampm, zone] = loc;
    // Only zones we can place exactly; a named local zone (EST...) is ambiguous.
    if (zone === undefined) return undefined;
    const offset = offsetMinutes(zone);
    if (offset === undefined) return undefined;
    let hour = Number(hRaw);
    if (ampm === 'PM' && hour < 12) hour += 12;
    if (ampm === 'AM' && hour === 12) hour = 0;
    const year = (yRaw ?? '').length === 2 ? 2000 + Number(yRaw) : Number(yRaw);
    return Date.UTC(year, Number(mo) - 1, Number(d), hour, Number(mi), Number(s), Number(ms)) - offset * 60_000;
  }
  return undefined;
}

/**
 * A JSON console event (WLP_LOGGING_CONSOLE_FORMAT=JSON, common on Kubernetes): one object per line with
 * ibm_datetime (ISO-8601), ibm_messageId and message.
 */
function parseJsonEvent(line: string): LogLine | undefined {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as Record<string, unknown>;
  const message = typeof e.message === 'string' ? e.message : line;
  const stamp = typeof e.ibm_datetime === 'string' ? parseTimestamp(`[${e.ibm_datetime}]`) : undefined;
  const id = typeof e.ibm_messageId === 'string' ? e.ibm_messageId : MESSAGE_ID_PATTERN.exec(message)?.[1];
  return {
    text: message,
    ...(stamp !== undefined ? { timestampMs: stamp } : {}),
    ...(id !== undefined ? { messageId: id } : {}),
  };
}

/**
 * One line of Liberty's output in any console format: SIMPLE and messages.log (`[TIMESTAMP] ... MSGID: text`),
 * JSON events, and the default console format (`[AUDIT   ] MSGID: text`, no timestamp).
 */
export function parseLogLine(line: string): LogLine {
  if (line.startsWith('{')) {
    const event = parseJsonEvent(line);
    if (event) return event;
  }
  const timestampMs = parseTimestamp(line);
  const id = MESSAGE_ID_PATTERN.exec(line)?.[1];
  return {
    text: line,
    ...(timestampMs !== undefined ? { timestampMs } : {}),
    ...(id !== undefined ? { messageId: id } : {}),
  };
}

/** "started in 12.345 seconds" (CWWKF0011I) or "resumed ... in 0.2 seconds" (CWWKC0452I). */
export function parseSelfReportedSeconds(text: string): number | undefined {
  const m = /\bin (\d+(?:[.,]\d+)?) seconds?\b/.exec(text);
  return m?.[1] ? Number(m[1].replace(',', '.')) : undefined;
}

/** The timestamp of the first CWWKF0011I line of a messages.log (epoch ms), if it has one. */
export function readyLoggedAt(log: string): number | undefined {
  for (const line of log.split('\n')) {
    if (!line.includes(MSG_SERVER_READY)) continue;
    const parsed = parseLogLine(line);
    if (parsed.messageId === MSG_SERVER_READY) return parsed.timestampMs;
  }
  return undefined;
}
