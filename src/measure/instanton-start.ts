import { RESTORE_CAPABILITIES, restorePrivilege, type RestoreMode } from '../engine/capabilities.js';
import type { Engine } from '../engine/engine.js';
import type { RunRecord } from '../results/types.js';
import { restoreLogErrors, springLifecycleRestart, verifyRestore } from '../verify/restore.js';
import { round } from '../core/clock.js';
import { parseLogLine, parseSelfReportedSeconds } from '../core/liberty-log.js';
import { MSG_RESTORED } from '../core/liberty-messages.js';
import { measureStart } from './one-start.js';
import { type StartSpec } from './start-parts.js';
import { OUTPUT_TAIL_LINES } from './start-record.js';
import { parseRestoreStats, type CriuRestoreStats } from '../verify/criu-images.js';
import { restoreHost, restoreHostPrivilege } from './restore-hosts.js';
import { buildTimeline, logMarks, type MarkAt } from './timeline.js';

import { MESSAGES_LOG, RESTORE_LOG, RESTORE_STATS_FILE, RESTORE_TIME_FILE } from '../core/container-paths.js';

/**
 * One start of an InstantOn image: measured like a cold start, then verified. A start
 * that came up without really restoring is 'fallback', never 'ok'.
 */
export async function measureInstantOnStart(
  engine: Engine,
  spec: Omit<StartSpec, 'collect'>,
  opts: { mode: RestoreMode; strict: boolean; restoreHost?: string },
): Promise<RunRecord> {
  const profile = opts.restoreHost !== undefined ? restoreHost(opts.restoreHost) : undefined;
  if (opts.restoreHost !== undefined && !profile) throw new RangeError(`unknown restore host ${opts.restoreHost}`);
  const { record, output, files, bytes, launchMs, marks } = await measureStart(engine, {
    ...spec,
    privilege: profile ? restoreHostPrivilege(profile) : restorePrivilege(opts.mode),
    extraEnv: { ...(spec.extraEnv ?? {}), ...(opts.strict ? { CRIU_RESTORE_DISABLE_RECOVERY: 'true' } : {}) },
    collect: [MESSAGES_LOG, RESTORE_LOG, RESTORE_TIME_FILE],
    collectBytes: [RESTORE_STATS_FILE],
  });
  const criu = restoreStats(bytes[RESTORE_STATS_FILE]);
  const messagesLog = files[MESSAGES_LOG];
  const restoreLog = files[RESTORE_LOG];
  const verdict = verifyRestore({
    output,
    ...(messagesLog !== undefined ? { messagesLog } : {}),
    ...(restoreLog !== undefined ? { restoreLog } : {}),
  });
  const restoreTime = Number((files[RESTORE_TIME_FILE] ?? '').trim());
  const resumedLine = (messagesLog ?? '').split('\n').find((l) => parseLogLine(l).messageId === MSG_RESTORED);
  const resumeSeconds = resumedLine ? parseSelfReportedSeconds(resumedLine) : undefined;
  const lifecycle = verdict.verified ? springLifecycleRestart(messagesLog) : undefined;
  const status = record.status === 'ok' && !verdict.verified ? 'fallback' : record.status;
  const keepLogs = !verdict.verified;
  const restoreMarks = restoreMarksOf(restoreTime, criu);
  // messages.log also holds what the console's `tail -f` may not have passed on yet.
  const timeline = buildTimeline(launchMs, [
    ...marks,
    ...restoreMarks,
    ...logMarks((messagesLog ?? '').split('\n'), launchMs, 'messages.log'),
  ]);
  return {
    ...record,
    timeline: { marks: timeline, ...(criu ? { criuRestore: criu } : {}) },
    ...(record.startState
      ? { startState: { ...record.startState, workArea: 'checkpoint' as const, checkpointPhase: spec.variant } }
      : {}),
    status,
    ...(profile ? { restoreHost: profile.name } : {}),
    metrics: {
      ...record.metrics,
      ...(Number.isFinite(restoreTime) && restoreTime > 0
        ? { restoreStartedMs: round(restoreTime - launchMs, 1) }
        : {}),
    },
    restore: {
      verified: verdict.verified,
      evidence: keepLogs ? [...verdict.evidence, ...restoreLogErrors(restoreLog)] : verdict.evidence,
      ...(verdict.failure ? { failure: verdict.failure } : {}),
      mode: opts.mode,
      capabilities: profile
        ? [...profile.capabilities]
        : opts.mode === 'privileged'
          ? ['ALL (--privileged)']
          : [...RESTORE_CAPABILITIES],
      strict: opts.strict,
      ...(keepLogs && restoreLog !== undefined ? { restoreLog } : {}),
      ...(resumeSeconds !== undefined ? { selfReportedResumeSeconds: resumeSeconds } : {}),
      ...(lifecycle !== undefined ? { appLifecycle: lifecycle } : {}),
    },
    ...(keepLogs ? { outputTail: output.slice(-OUTPUT_TAIL_LINES) } : {}),
    ...(status === 'fallback'
      ? { error: `not restored from the checkpoint (${verdict.failure}): ${verdict.evidence[0] ?? ''}` }
      : {}),
  };
}

/** bin/server's restoreTime, and CRIU's own restore time after it, as timeline marks. */
function restoreMarksOf(restoreTime: number, criu: CriuRestoreStats | undefined): MarkAt[] {
  const restoreMarks: MarkAt[] = [];
  if (Number.isFinite(restoreTime) && restoreTime > 0) {
    restoreMarks.push({
      mark: 'restoreStarted',
      atEpochMs: restoreTime,
      source: "bin/server's restoreTime (written just before criu restore)",
    });
    if (criu)
      restoreMarks.push({
        mark: 'criuRestored',
        atEpochMs: restoreTime + criu.restoreMs,
        source: "restoreTime + CRIU's stats-restore restore_time (CRIU's start-up before its timer not counted)",
      });
  }
  return restoreMarks;
}

function restoreStats(buf: Buffer | undefined): CriuRestoreStats | undefined {
  try {
    return buf ? parseRestoreStats(buf) : undefined;
  } catch {
    return undefined; // a damaged or foreign file: the statistics are absent, the start still counts
  }
}
