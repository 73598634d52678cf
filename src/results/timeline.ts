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

/**
 * What happens between two consecutive marks, as charts name a segment (a segment named by the mark it ends at read
 * as a phase of that name: "app started" for the whole of Liberty's start). Pairs not listed are named by their marks.
 */
const SEGMENT_NAMES: ReadonlyArray<readonly [TimelineMarkName, TimelineMarkName, string]> = [
  ['launch', 'containerCreated', 'podman creates the container'],
  ['containerCreated', 'containerStarted', 'the runtime starts it'],
  ['containerStarted', 'entrypoint', 'to the entrypoint'],
  ['entrypoint', 'jvmLaunched', "Liberty's server script, to java"],
  ['entrypoint', 'restoreStarted', "Liberty's server script, to criu restore"],
  ['jvmLaunched', 'jvmCreated', 'the JVM initialises'],
  ['jvmCreated', 'kernelStarted', "Liberty's kernel boots"],
  ['restoreStarted', 'criuRestored', 'CRIU restores the process'],
  ['criuRestored', 'resumed', 'the JVM and Liberty resume'],
  ['kernelStarted', 'appStarted', 'Liberty starts its features and the app'],
  ['resumed', 'appStarted', 'the app starts (after the restore)'],
  ['appStarted', 'featuresInstalled', 'the last features install'],
  ['featuresInstalled', 'ready', 'to ready (CWWKF0011I)'],
  ['ready', 'firstResponse', 'the first request is served'],
];

export function segmentName(from: TimelineMarkName, to: TimelineMarkName): string {
  return SEGMENT_NAMES.find(([a, b]) => a === from && b === to)?.[2] ?? `${MARK_LABELS[from]} → ${MARK_LABELS[to]}`;
}

/** Every named segment in the order of a start (legends list them so). */
export const SEGMENT_ORDER: readonly string[] = SEGMENT_NAMES.map(([, , name]) => name);

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
