import { RESTORE_CAPABILITIES, restoreFlags, type RestoreMode } from '../engine/capabilities.js';
import type { Engine } from '../engine/engine.js';
import type { RunRecord } from '../results/types.js';
import { restoreLogErrors, verifyRestore } from '../verify/restore.js';
import { round } from '../core/clock.js';
import { parseLogLine, parseSelfReportedSeconds } from '../core/liberty-log.js';
import { MSG_RESTORED } from '../core/liberty-messages.js';
import { measureStart, OUTPUT_TAIL_LINES, type StartSpec } from './one-start.js';

export const MESSAGES_LOG = '/logs/messages.log';
export const RESTORE_LOG = '/logs/checkpoint/restore.log';
export const RESTORE_TIME_FILE = '/output/defaultServer/workarea/checkpoint/restoreTime';

/**
 * One start of an InstantOn image: measured like a cold start, then verified. A start
 * that came up without really restoring is 'fallback', never 'ok'.
 */
export async function measureInstantOnStart(
  podman: Engine,
  spec: Omit<StartSpec, 'collect'>,
  opts: { mode: RestoreMode; strict: boolean },
): Promise<RunRecord> {
  const { record, output, files, launchMs } = await measureStart(podman, {
    ...spec,
    extraFlags: [...(spec.extraFlags ?? []), ...restoreFlags(opts.mode)],
    extraEnv: { ...(spec.extraEnv ?? {}), ...(opts.strict ? { CRIU_RESTORE_DISABLE_RECOVERY: 'true' } : {}) },
    collect: [MESSAGES_LOG, RESTORE_LOG, RESTORE_TIME_FILE],
  });
  const messagesLog = files[MESSAGES_LOG];
  const restoreLog = files[RESTORE_LOG];
  const verdict = verifyRestore({ output, ...(messagesLog !== undefined ? { messagesLog } : {}), ...(restoreLog !== undefined ? { restoreLog } : {}) });
  const restoreTime = Number((files[RESTORE_TIME_FILE] ?? '').trim());
  const resumedLine = (messagesLog ?? '').split('\n').find((l) => parseLogLine(l).messageId === MSG_RESTORED);
  const resumeSeconds = resumedLine ? parseSelfReportedSeconds(resumedLine) : undefined;
  const status = record.status === 'ok' && !verdict.verified ? 'fallback' : record.status;
  const keepLogs = !verdict.verified;
  return {
    ...record,
    status,
    metrics: {
      ...record.metrics,
      ...(Number.isFinite(restoreTime) && restoreTime > 0 ? { restoreStartedMs: round(restoreTime - launchMs, 1) } : {}),
    },
    restore: {
      verified: verdict.verified,
      evidence: keepLogs ? [...verdict.evidence, ...restoreLogErrors(restoreLog)] : verdict.evidence,
      ...(verdict.failure ? { failure: verdict.failure } : {}),
      mode: opts.mode,
      capabilities: opts.mode === 'privileged' ? ['ALL (--privileged)'] : [...RESTORE_CAPABILITIES],
      strict: opts.strict,
      ...(keepLogs && restoreLog !== undefined ? { restoreLog } : {}),
      ...(resumeSeconds !== undefined ? { selfReportedResumeSeconds: resumeSeconds } : {}),
    },
    ...(keepLogs ? { outputTail: output.slice(-OUTPUT_TAIL_LINES) } : {}),
    ...(status === 'fallback' ? { error: `not restored from the checkpoint (${verdict.failure}): ${verdict.evidence[0] ?? ''}` } : {}),
  };
}
