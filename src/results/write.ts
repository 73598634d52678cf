import { makeDirs } from '../core/output-paths.js';
import { rename, rm, statfs, writeFile } from 'node:fs/promises';
import { WriteError } from '../core/errors.js';
import { RAMP_METRICS } from './start-types.js';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { csvTextCell } from '../core/neutralise.js';
import type { ResultsFile, RunRecord } from './types.js';

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

/**
 * Write through a temporary file renamed over the old one: a failed write (a full disk) leaves
 * the last good file and no temporary file, and says what could not be written, where, and
 * how much space is left there.
 */
async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await makeDirs(path.dirname(file));
    await writeFile(tmp, text);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw await writeFailure(file, Buffer.byteLength(text), error as NodeJS.ErrnoException);
  }
}

export async function writeFailure(file: string, bytes: number, error: NodeJS.ErrnoException): Promise<WriteError> {
  const fs = await statfs(path.dirname(file)).catch(() => undefined);
  const free =
    fs && (error.code === 'ENOSPC' || bytes > 0)
      ? ` (${formatBytes(fs.bavail * fs.bsize)} free there${bytes > 0 ? `, ${formatBytes(bytes)} needed` : ''})`
      : '';
  const fix =
    error.code === 'ENOSPC' || error.code === 'EDQUOT'
      ? `free space on the filesystem of ${path.dirname(file)}`
      : error.code === 'EACCES' || error.code === 'EPERM' || error.code === 'EROFS'
        ? `make ${path.dirname(file)} writable, or pass another --out`
        : `check ${path.dirname(file)}`;
  const verb = bytes > 0 || error.syscall === undefined ? 'write' : error.syscall;
  return new WriteError(`cannot ${verb} ${file}: ${error.code ?? error.message}${free}`, fix, file, error);
}

function formatBytes(n: number): string {
  return n >= 1024 ** 2
    ? `${(n / 1024 ** 2).toFixed(1)} MiB`
    : n >= 1024
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${n} bytes`;
}

/** Rewrite the JSON and its CSV atomically (write a temp file, rename over). */
export async function writeResults(file: string, results: ResultsFile): Promise<void> {
  results.updatedAt = new Date().toISOString();
  await writeAtomically(file, `${JSON.stringify(results, null, 2)}\n`);
  await writeAtomically(csvPathFor(file), toCsv(results.runs));
}
