import type { Engine } from '../engine/engine.js';
import type { RunRecord } from '../results/types.js';
import type { Scenario } from '../scenario/types.js';
import type { Variant } from '../scenario/variants.js';
import { DEFAULT_HTTP_PORT } from '../scenario/limits.js';
import { verifyRestore, restoreLogErrors } from '../verify/restore.js';
import { readGuest } from '../hosts/guest-store.js';
import { bootImage, restoreScript } from '../hosts/guest-image.js';
import { OUTPUT_TAIL_LINES } from './start-record.js';
import { hsErrExcerpt } from '../diagnose/crash-instruction.js';

/**
 * One InstantOn start inside a guest (`run --restore-on NAME`): the checkpoint image's file
 * system booted as the guest's root, its entrypoint run as a container runs it, the restore
 * verified from its logs exactly as on this host. Timings come from the guest's own clock
 * under QEMU's software CPU: recorded with `guest.comparable: false` and kept out of every
 * speed statistic. A failed restore does not fall back to a cold start there
 * (CRIU_RESTORE_DISABLE_RECOVERY): it would take minutes under a software CPU and prove nothing.
 */
export const GUEST_READY_TIMEOUT_S = 300;
const GUEST_BOOT_ALLOWANCE_MS = 240_000;

export async function measureGuestRestore(
  engine: Engine,
  guestName: string,
  spec: {
    readonly scenario: Scenario;
    readonly variant: Variant;
    readonly image: string;
    readonly iteration: number;
    readonly warmup: boolean;
    readonly serverCpus: string;
    readonly signal?: AbortSignal;
    readonly onStep?: (t: string) => void;
  },
): Promise<RunRecord> {
  const guest = await readGuest(guestName, '--restore-on');
  const config = await engine.imageRunConfig(spec.image);
  const launchedAt = new Date();
  const boot = await bootImage(
    engine,
    guest,
    spec.image,
    restoreScript(config, {
      image: spec.image,
      env: { ...spec.scenario.env, ...spec.scenario.restoreEnv, CRIU_RESTORE_DISABLE_RECOVERY: 'true' },
      port: DEFAULT_HTTP_PORT,
      path: spec.scenario.firstResponse.path,
      readyTimeoutS: GUEST_READY_TIMEOUT_S,
    }),
    {
      timeoutMs: GUEST_READY_TIMEOUT_S * 1000 + GUEST_BOOT_ALLOWANCE_MS,
      cpus: spec.serverCpus,
      ...(spec.onStep ? { onStep: spec.onStep } : {}),
      ...(spec.signal ? { signal: spec.signal } : {}),
    },
  );
  const { output, restoreLog, verdict, readyMs, firstResponseMs, crash, status, evidence, problem, launch } =
    readGuestOutcome(boot, guest);
  const hsErr = boot.console.files.get('hs_err');
  return {
    scenario: spec.scenario.name,
    variant: spec.variant,
    iteration: spec.iteration,
    warmup: spec.warmup,
    status,
    launchedAt: launchedAt.toISOString(),
    container: `guest:${guest.name}`,
    image: spec.image,
    cpus: { pin: 'taskset', requested: spec.serverCpus },
    metrics: {
      ...(readyMs !== undefined ? { readyMs } : {}),
      ...(firstResponseMs !== undefined ? { firstResponseMs } : {}),
    },
    selfReported: {},
    guest: {
      name: guest.name,
      cpuModel: guest.cpuModel,
      accel: guest.accel,
      kernel: guest.kernel.release,
      comparable: false,
      bootMs: Math.round((launch ?? 0) * 1000),
      wallMs: boot.wallMs,
    },
    restore: {
      verified: verdict.verified,
      evidence,
      ...(verdict.failure ? { failure: verdict.failure } : crash ? { failure: 'restore-failed-in-jvm' as const } : {}),
      mode: 'privileged',
      capabilities: ['ALL (root in the guest)'],
      strict: true,
      ...(!verdict.verified && restoreLog !== undefined ? { restoreLog } : {}),
      ...(!verdict.verified && hsErr !== undefined ? { hsErr: hsErrExcerpt(hsErr) } : {}),
    },
    ...(status !== 'ok' ? { outputTail: output.slice(-OUTPUT_TAIL_LINES) } : {}),
    ...(problem ? { error: problem } : {}),
  };
}

/** What a guest's console says of its restore: ready and first response, CRIU's and the JVM's evidence, a status. */
function readGuestOutcome(boot: Awaited<ReturnType<typeof bootImage>>, guest: Awaited<ReturnType<typeof readGuest>>) {
  const c = boot.console;
  const output = (c.files.get('output') ?? '').split('\n');
  const messagesLog = c.files.get('messages.log');
  const restoreLog = c.files.get('restore.log');
  const verdict = verifyRestore({
    output,
    ...(messagesLog !== undefined ? { messagesLog } : {}),
    ...(restoreLog !== undefined ? { restoreLog } : {}),
  });
  const launch = c.marks.get('launch');
  const since = (mark: string): number | undefined => {
    const at = c.marks.get(mark);
    return at !== undefined && launch !== undefined ? Math.round((at - launch) * 1000) : undefined;
  };
  const readyMs = since('ready');
  const firstResponseMs = c.values.get('response') === '200' ? since('response') : undefined;
  const crashLines = [...output, ...(c.files.get('hs_err')?.split('\n') ?? [])];
  const crash =
    crashLines.find((l) => /\bSIG(ILL|SEGV|BUS)\b/.test(l)) ??
    crashLines.find((l) => /fatal error has been detected/.test(l));
  const status: RunRecord['status'] =
    boot.timedOut && readyMs === undefined
      ? 'timed-out'
      : readyMs === undefined
        ? 'failed'
        : verdict.verified
          ? 'ok'
          : 'fallback';
  const evidence = verdict.verified
    ? verdict.evidence
    : [...verdict.evidence, ...restoreLogErrors(restoreLog), ...(crash ? [crash.trim()] : [])];
  const problem =
    status === 'ok'
      ? undefined
      : boot.timedOut
        ? `the guest did not finish within ${(GUEST_READY_TIMEOUT_S * 1000 + GUEST_BOOT_ALLOWANCE_MS) / 1000} s`
        : `not restored in guest ${guest.name} (${guest.cpuModel}): ${evidence.slice(-3).join(' | ')}`;
  return { output, restoreLog, verdict, readyMs, firstResponseMs, crash, status, evidence, problem, launch };
}
