import { stringify } from 'csv-stringify/sync';
import { csvTextCell } from '../core/neutralise.js';
import { RAMP_METRICS } from '../results/start-types.js';
import type { RunRecord } from '../results/types.js';

/** The CSV beside every results file: one row a start, its columns in a fixed order. */
export const CSV_COLUMNS = [
  'scenario',
  'variant',
  'iteration',
  'warmup',
  'status',
  'launchedAt',
  'pin',
  'cpusRequested',
  'cpusObserved',
  'containerStartedMs',
  'readyMs',
  'readySeenMs',
  'readyDetectionLagMs',
  'readyAfterContainerStartMs',
  'firstResponseMs',
  'firstResponseAfterContainerStartMs',
  'rssAfterReadyKb',
  'hwmAfterReadyKb',
  'rssAfterFirstResponseKb',
  'hwmAfterFirstResponseKb',
  'serverCpuStealMs',
  'selfReportedStartedSeconds',
  'image',
  'error',
  // appended last so that readers of the earlier columns keep working
  'arm',
  'serverCpuForeignMs',
  'timeline',
  'criuRestoreMs',
  'harnessTeardownMs',
  'harnessSincePreviousMs',
  ...RAMP_METRICS,
  'rampErrors',
  'startWorkArea',
  'startClassData',
  'classesFromArchive',
] as const;

export function runToRow(run: RunRecord): Record<(typeof CSV_COLUMNS)[number], string | number | boolean | undefined> {
  const m = run.metrics;
  return {
    scenario: run.scenario,
    variant: run.variant,
    arm: run.arm,
    serverCpuForeignMs: m.serverCpuForeignMs,
    // mark@ms pairs in time order, e.g. "launch@0 containerStarted@168.1 ... firstResponse@937.3"
    timeline: run.timeline?.marks.map((k) => `${k.mark}@${k.atMs}`).join(' '),
    criuRestoreMs: run.timeline?.criuRestore?.restoreMs,
    harnessTeardownMs: run.harness?.teardownMs,
    harnessSincePreviousMs: run.harness?.sincePreviousMs,
    ...(Object.fromEntries(RAMP_METRICS.map((k) => [k, m[k]])) as Record<
      (typeof RAMP_METRICS)[number],
      number | undefined
    >),
    rampErrors: run.rampUp?.errors,
    startWorkArea: run.startState?.workArea,
    startClassData: run.startState?.classData,
    classesFromArchive: run.startState?.classesFromArchive,
    iteration: run.iteration,
    warmup: run.warmup,
    status: run.status,
    launchedAt: run.launchedAt,
    pin: run.cpus.pin,
    cpusRequested: run.cpus.requested,
    cpusObserved: run.cpus.observed,
    containerStartedMs: m.containerStartedMs,
    readyMs: m.readyMs,
    readySeenMs: m.readySeenMs,
    readyDetectionLagMs: m.readyDetectionLagMs,
    readyAfterContainerStartMs: m.readyAfterContainerStartMs,
    firstResponseMs: m.firstResponseMs,
    firstResponseAfterContainerStartMs: m.firstResponseAfterContainerStartMs,
    rssAfterReadyKb: m.rssAfterReadyKb,
    hwmAfterReadyKb: m.hwmAfterReadyKb,
    rssAfterFirstResponseKb: m.rssAfterFirstResponseKb,
    hwmAfterFirstResponseKb: m.hwmAfterFirstResponseKb,
    serverCpuStealMs: m.serverCpuStealMs,
    selfReportedStartedSeconds: run.selfReported.startedSeconds,
    image: run.image,
    error: run.error,
  };
}

/** CSV with one row per run (warmups included, marked), same fields as the JSON. */
export function toCsv(runs: readonly RunRecord[]): string {
  return stringify(runs.map(runToRow), {
    header: true,
    columns: [...CSV_COLUMNS],
    // A name or an error text that a spreadsheet would run as a formula is written as text.
    cast: { boolean: (b) => String(b), string: csvTextCell },
  });
}

export function csvPathFor(jsonPath: string): string {
  return jsonPath.replace(/\.json$/i, '') + '.csv';
}
