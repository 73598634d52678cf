import { mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { BuildError } from '../core/errors.js';
import { LABEL_TOOL } from '../engine/labels.js';
import type { Engine } from '../engine/engine.js';
import { setprivCapList } from '../engine/capabilities.js';
import type { CpuBaseline } from '../hosts/cpu-features.js';
import { guestsDir, listGuests, type GuestRecord } from '../hosts/guest-store.js';
import { createGuest, DEFAULT_GUEST_MEMORY_MIB } from '../hosts/guest-create.js';
import { bootImage, checkpointScript } from '../hosts/guest-image.js';
import { shq } from '../hosts/guest-boot.js';
import type { HostProfile } from '../hosts/profile.js';
import { LABEL_CAPS, LABEL_CHECKPOINT_MS, LABEL_CPU_BASELINE, LABEL_FINGERPRINT } from './image-labels.js';
import { LABEL_MADE_FROM } from './provenance.js';
import { IMAGES_DIR } from './base-image.js';
import type { CheckpointFingerprint } from '../verify/fingerprint.js';
import type { CheckpointPhase } from '../scenario/variants.js';

/**
 * A portable checkpoint (arm key cpu-baseline=x86-64-v2): the checkpoint run happens inside a
 * guest whose CPU model is the baseline (QEMU's software CPU), so HotSpot, glibc and CRIU see
 * only the baseline's features and choose code for it. On the host that is not possible with
 * HotSpot 25: it runs SERIALIZE wherever the CPU has it (OrderAccess::cross_modify_fence, no
 * option turns it off), and a checkpoint taken here with -XX:UseAVX=0, -XX:UseSSE=4, the
 * intrinsics off and GLIBC_TUNABLES masking AVX/XSAVE still died of SIGILL there in a Nehalem
 * guest. The files the checkpoint run made are layered on the app image and committed, with the
 * guest's CPU as the checkpoint host's in the fingerprint (what `forecast` compares).
 */
export const BASELINE_CPU_MODEL: Record<CpuBaseline, string | undefined> = {
  'x86-64-v2': 'Nehalem',
  'x86-64-v3': undefined,
};
const GUEST_CHECKPOINT_TIMEOUT_MS = 1_200_000;
/**
 * The baseline guest boots Debian 13's 6.12 kernel: a checkpoint taken under sid's 7.2 kernel died
 * in CRIU's restorer on this 6.18 host right after it mapped the vDSO (signal 11), while 6.18 ->
 * 7.2 restored; an older kernel at the dump is the direction that works.
 */
const BASELINE_SUITE = 'trixie';
const OUTPUT_DISK_MIB = 2048;

/** What the portable checkpoint's image depends on besides the app: the guest's CPU model and kernel suite. */
export const portableRecipe = (baseline: CpuBaseline): string => `${BASELINE_CPU_MODEL[baseline] ?? ''}/${BASELINE_SUITE}`;

/** The guest the tool keeps for a baseline's checkpoints (made on first use, like any guest). */
async function baselineGuest(
  baseline: CpuBaseline,
  onStep: (t: string) => void,
): Promise<{ guest: GuestRecord; profile: HostProfile }> {
  const model = BASELINE_CPU_MODEL[baseline];
  if (!model) throw new BuildError(`cpu-baseline=${baseline} has no QEMU CPU model here`, 'use cpu-baseline=x86-64-v2');
  const name = `baseline-${baseline.replace(/[^a-z0-9]/g, '')}-${BASELINE_SUITE}`;
  const existing = (await listGuests()).find((g) => g.name === name);
  const profileFile = path.join(guestsDir(), 'vm', name, 'profile.json');
  if (existing) return { guest: existing, profile: JSON.parse(await readFile(profileFile, 'utf8')) as HostProfile };
  return createGuest(
    { name, cpuModel: model, suite: BASELINE_SUITE, accel: 'tcg', memoryMiB: DEFAULT_GUEST_MEMORY_MIB, onStep },
    path.join(IMAGES_DIR, 'host-probe', 'probe.sh'),
  );
}

export async function portableCheckpoint(
  engine: Engine,
  opts: {
    readonly scenario: string;
    readonly phase: CheckpointPhase;
    readonly baseline: CpuBaseline;
    readonly appId: string;
    readonly tag: string;
    readonly caps: readonly string[];
    readonly env: Readonly<Record<string, string>>;
    readonly onStep: (t: string) => void;
  },
): Promise<{ checkpointMs: number; fingerprint: CheckpointFingerprint }> {
  const { guest, profile } = await baselineGuest(opts.baseline, opts.onStep);
  const config = await engine.imageRunConfig(opts.appId);
  const work = await mkdtemp(path.join(guestsDir(), '.checkpoint-'));
  const container = `ib-checkpoint-portable-${opts.scenario}-${process.pid}`;
  try {
    opts.onStep(
      `${opts.scenario}: checkpoint at ${opts.phase} inside guest ${guest.name} (${guest.cpuModel}, QEMU's software ` +
        'CPU: minutes, once per image)',
    );
    const disk = path.join(work, 'out.img');
    const started = Date.now();
    const boot = await bootImage(
      engine,
      guest,
      opts.appId,
      checkpointScript(config, {
        ...opts.env,
        WLP_CHECKPOINT: opts.phase,
        IB_CHECKPOINT_CAPS: setprivCapList(opts.caps),
      }),
      {
        timeoutMs: GUEST_CHECKPOINT_TIMEOUT_MS,
        outputDisk: { file: disk, sizeMiB: OUTPUT_DISK_MIB },
        onStep: opts.onStep,
      },
    );
    const checkpointMs = boot.console.marks.has('exit')
      ? Math.round(((boot.console.marks.get('exit') ?? 0) - (boot.console.marks.get('launch') ?? 0)) * 1000)
      : Date.now() - started;
    const exitCode = boot.console.values.get('exit');
    if (boot.timedOut || exitCode !== '0' || !boot.console.marks.has('written'))
      throw new BuildError(
        `${opts.scenario}: the ${opts.phase} checkpoint inside guest ${guest.name} ` +
          `${boot.timedOut ? `did not end within ${GUEST_CHECKPOINT_TIMEOUT_MS / 60000} min` : `failed (exit ${exitCode ?? 'unknown'})`}: ` +
          (boot.console.files.get('checkpoint.log') ?? boot.console.files.get('output') ?? boot.console.text)
            .split('\n')
            .filter((l) => /Error|rror:|CWWKC|CWWKE/.test(l))
            .slice(-4)
            .join(' | ')
            .slice(-600),
        'instanton-bench diagnose explains CRIU and Liberty messages; the guest console is in the error',
      );
    // The files the checkpoint run made, as a tar podman can copy into a container of the app image.
    const files = path.join(work, 'files');
    const unpack = await execa(
      'sh',
      ['-c', `mkdir -p ${shq(files)} && cd ${shq(files)} && cpio -idm --quiet < ${shq(disk)}`],
      {
        reject: false,
      },
    );
    if (unpack.exitCode !== 0)
      throw new BuildError(
        `reading the guest's checkpoint files failed: ${String(unpack.stderr).slice(-300)}`,
        'is cpio installed?',
      );
    const tar = path.join(work, 'files.tar');
    await execa('tar', ['-c', '-f', tar, '-C', files, '.']);
    const fingerprint: CheckpointFingerprint = {
      kernel: profile.kernel.release,
      cpuModel: profile.cpu.model,
      cpuFlags: profile.cpu.flags.join(' '),
      takenAt: new Date().toISOString(),
    };
    await engine.removeContainer(container);
    await engine.createContainer({ name: container, image: opts.appId, labels: { [LABEL_TOOL]: 'checkpoint' } });
    await engine.copyTarIntoContainer(container, tar, 600_000);
    await engine.commitContainer(container, opts.tag, [
      `LABEL ${LABEL_MADE_FROM}=${opts.appId}`,
      'ENV WLP_CHECKPOINT=',
      'ENV IB_CHECKPOINT_CAPS=',
      `LABEL ${LABEL_TOOL}=instanton`,
      `LABEL ${LABEL_CHECKPOINT_MS}=${checkpointMs}`,
      `LABEL ${LABEL_CAPS}=${opts.caps.join(',')}`,
      `LABEL ${LABEL_CPU_BASELINE}=${opts.baseline}`,
      `LABEL ${LABEL_FINGERPRINT}=${Buffer.from(JSON.stringify(fingerprint)).toString('base64')}`,
    ]);
    return { checkpointMs, fingerprint };
  } finally {
    await engine.removeContainer(container);
    await rm(work, { recursive: true, force: true });
  }
}
