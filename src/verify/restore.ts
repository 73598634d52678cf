import { parseLogLine } from '../core/liberty-log.js';
import {
  MSG_RESTORED,
  MSG_RESTORE_FAILED_IN_JVM,
  MSG_RESTORE_FAILED_IN_JVM_2,
  MSG_RESTORE_FAILED_NO_RECOVERY,
  MSG_RESTORE_FALLBACK,
  MSG_RESTORE_FALLBACK_BETA,
} from '../core/liberty-messages.js';

/** Message IDs that prove a start did not run from its checkpoint (shared notes). */
export const RESTORE_FAILURE_IDS = [
  MSG_RESTORE_FALLBACK_BETA,
  MSG_RESTORE_FALLBACK,
  MSG_RESTORE_FAILED_NO_RECOVERY,
  MSG_RESTORE_FAILED_IN_JVM,
  MSG_RESTORE_FAILED_IN_JVM_2,
] as const;

export interface RestoreEvidenceInput {
  /** The container's stdout and stderr (bin/server prints CWWKE0961I there, not to messages.log). */
  readonly output: readonly string[];
  /** The restored server's messages.log (starts fresh on restore). */
  readonly messagesLog?: string;
  /** CRIU's restore.log. */
  readonly restoreLog?: string;
}

export type RestoreFailureKind = 'fallback' | 'restore-failed' | 'restore-failed-in-jvm' | 'no-restore-message';

export interface RestoreVerdict {
  readonly verified: boolean;
  /** The lines the verdict rests on: the CWWKC0452I line, or the failure lines. */
  readonly evidence: string[];
  readonly failure?: RestoreFailureKind;
}

const ID_RE = /\b(CW[A-Z]{3}\d{4}[IWEAS])\b/;

function linesWithIds(text: string | undefined, ids: readonly string[]): string[] {
  if (!text) return [];
  return text.split('\n').filter((line) => {
    const m = ID_RE.exec(line);
    return m?.[1] !== undefined && ids.includes(m[1]);
  });
}

/**
 * A start counts as InstantOn only with CWWKC0452I ("resumed operation from a checkpoint")
 * in the restored server's messages.log and none of the fallback or failure messages in its
 * output or logs. Never trust CWWKF0011I alone: a silent fallback prints it too.
 */
export function verifyRestore(input: RestoreEvidenceInput): RestoreVerdict {
  const outputText = input.output.join('\n');
  const failures = [
    ...linesWithIds(outputText, RESTORE_FAILURE_IDS),
    ...linesWithIds(input.messagesLog, RESTORE_FAILURE_IDS),
  ];
  const restored = (input.messagesLog ?? '')
    .split('\n')
    .filter((line) => parseLogLine(line).messageId === MSG_RESTORED);
  if (failures.length > 0) {
    const ids = failures.map((l) => ID_RE.exec(l)?.[1]);
    const failure: RestoreFailureKind = ids.some(
      (id) => id === MSG_RESTORE_FALLBACK || id === MSG_RESTORE_FALLBACK_BETA,
    )
      ? 'fallback'
      : ids.some((id) => id === MSG_RESTORE_FAILED_NO_RECOVERY)
        ? 'restore-failed'
        : 'restore-failed-in-jvm';
    return { verified: false, evidence: [...new Set(failures)].map((l) => l.trim()), failure };
  }
  if (restored.length === 0) {
    return {
      verified: false,
      evidence: [
        `no ${MSG_RESTORED} in messages.log${input.messagesLog === undefined ? ' (messages.log not found)' : ''}`,
      ],
      failure: 'no-restore-message',
    };
  }
  return { verified: true, evidence: restored.map((l) => l.trim()) };
}

/**
 * Spring Framework's own line saying its lifecycle beans restarted after the restore (Spring 6.1+ with org.crac, on
 * Liberty's crac-1.4: the beans it stopped before the checkpoint, a connection pool among them, run again), trimmed
 * to the message; undefined where the application has no such lifecycle or it did not restart.
 */
export function springLifecycleRestart(messagesLog: string | undefined): string | undefined {
  for (const line of (messagesLog ?? '').split('\n')) {
    const restarted = SPRING_RESTARTED.exec(line)?.[0];
    if (restarted !== undefined) return restarted.trim();
  }
  return undefined;
}

const SPRING_RESTARTED = /Spring-managed lifecycle restart completed.*$/;

/** The last lines of CRIU's restore.log that say Error, kept with failed runs. */
export function restoreLogErrors(restoreLog: string | undefined, max = 20): string[] {
  if (!restoreLog) return [];
  return restoreLog
    .split('\n')
    .filter((l) => /\bError\b|\bBUG\b/.test(l))
    .slice(-max);
}
