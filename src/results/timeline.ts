import { round } from '../core/clock.js';
import type { TimelineMark, TimelineMarkName } from './types.js';

/** The order marks take when two fall on the same millisecond. */
export const MARK_ORDER: readonly TimelineMarkName[] = [
  'launch',
  'containerCreated',
  'containerStarted',
  'entrypoint',
  'jvmLaunched',
  'jvmCreated',
  'restoreStarted',
  'criuRestored',
  'resumed',
  'kernelStarted',
  'appStarted',
  'featuresInstalled',
  'ready',
  'firstResponse',
];

/** How reports name each mark (the segment ending at it is named the same). */
export const MARK_LABELS: Readonly<Record<TimelineMarkName, string>> = {
  launch: 'podman run launched',
  containerCreated: 'container created',
  containerStarted: 'container started',
  entrypoint: 'entrypoint began',
  jvmLaunched: 'JVM launched',
  jvmCreated: 'JVM created',
  restoreStarted: 'criu restore began',
  criuRestored: 'CRIU restore done',
  resumed: 'Liberty resumed (CWWKC0452I)',
  kernelStarted: 'kernel started (CWWKE0001I)',
  appStarted: 'app started (CWWKZ0001I)',
  featuresInstalled: 'features installed (CWWKF0012I)',
  ready: 'ready (CWWKF0011I)',
  firstResponse: 'first response',
};

/** The segments of a timeline: each ends at a mark and starts at the one before it. */
export function segmentsOf(
  marks: readonly TimelineMark[],
): Array<{ readonly from: TimelineMarkName; readonly to: TimelineMarkName; readonly ms: number }> {
  const out: Array<{ from: TimelineMarkName; to: TimelineMarkName; ms: number }> = [];
  for (let i = 1; i < marks.length; i += 1) {
    const a = marks[i - 1] as TimelineMark;
    const b = marks[i] as TimelineMark;
    out.push({ from: a.mark, to: b.mark, ms: round(b.atMs - a.atMs, 1) });
  }
  return out;
}
