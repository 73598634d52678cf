import { round } from '../core/clock.js';
import { parseLogLine } from '../core/liberty-log.js';
import {
  MSG_APP_STARTED,
  MSG_FEATURES_INSTALLED,
  MSG_RESTORED,
  MSG_SERVER_LAUNCHED,
} from '../core/liberty-messages.js';
import type { TimelineMark, TimelineMarkName } from '../results/types.js';
import { MARK_ORDER } from '../results/timeline.js';

/** A mark on the host's wall clock (epoch ms), before it is placed on the start's axis. */
export interface MarkAt {
  readonly mark: TimelineMarkName;
  readonly atEpochMs: number;
  readonly source: string;
}

/** Where images/liberty/entrypoint.sh writes its first line's clock (epoch microseconds, bash's EPOCHREALTIME). */
export const ENTRYPOINT_MARK_FILE = '/tmp/instanton-bench-entrypoint-at';

/** Liberty messages that mark a phase of a start, first occurrence only. */
export const LOG_MARKS: ReadonlyArray<{ readonly id: string; readonly mark: TimelineMarkName }> = [
  { id: MSG_RESTORED, mark: 'resumed' },
  { id: MSG_SERVER_LAUNCHED, mark: 'kernelStarted' },
  { id: MSG_APP_STARTED, mark: 'appStarted' },
  { id: MSG_FEATURES_INSTALLED, mark: 'featuresInstalled' },
];

/**
 * Marks from Liberty's log lines (their own timestamps), the first of each message at or
 * after launch: lines from before the launch (a checkpoint's messages.log) are not this
 * start's. The ready mark is left to the caller (it has CWWKF0011I from the output watch).
 */
export function logMarks(lines: readonly string[], launchEpochMs: number, where: string): MarkAt[] {
  const found = new Map<TimelineMarkName, MarkAt>();
  for (const line of lines) {
    const hit = LOG_MARKS.find((m) => line.includes(m.id));
    if (!hit || found.has(hit.mark)) continue;
    const parsed = parseLogLine(line);
    // Liberty's timestamps are truncated to the millisecond: allow that much before launch.
    if (
      parsed.messageId !== hit.id ||
      parsed.timestampMs === undefined ||
      parsed.timestampMs < Math.floor(launchEpochMs)
    )
      continue;
    found.set(hit.mark, { mark: hit.mark, atEpochMs: parsed.timestampMs, source: `${hit.id} timestamp (${where})` });
  }
  return [...found.values()];
}

/**
 * A start's timeline: every mark on the start's axis (ms since launch, one decimal), sorted
 * by time, each with where it came from. Marks before the launch (the clocks of the JVM or a
 * checkpoint's files from build time) are not this start's and are dropped; a mark a start
 * cannot have is absent, never zero. When the last mark is the first response, the
 * segments between consecutive marks add up to the first-response time.
 */
export function buildTimeline(launchEpochMs: number, marks: readonly MarkAt[]): TimelineMark[] {
  const seen = new Set<TimelineMarkName>();
  const placed: TimelineMark[] = [];
  for (const m of marks) {
    if (seen.has(m.mark) || !Number.isFinite(m.atEpochMs)) continue;
    const at = m.mark === 'launch' ? 0 : round(m.atEpochMs - launchEpochMs, 1);
    if (at < 0) continue;
    seen.add(m.mark);
    placed.push({ mark: m.mark, atMs: at, source: m.source });
  }
  return placed.sort((a, b) => a.atMs - b.atMs || MARK_ORDER.indexOf(a.mark) - MARK_ORDER.indexOf(b.mark));
}
