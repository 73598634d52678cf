import type { Engine } from '../../engine/engine.js';
import { UsageError } from '../../core/errors.js';
import { decodeJsonLabel, LABEL_CAPS, LABEL_CPU_BASELINE, LABEL_FINGERPRINT } from '../image-labels.js';
import { CPU_BASELINE_LEVELS, type CpuBaseline } from '../../results/config-types.js';
import type { CheckpointFingerprint } from '../../verify/fingerprint.js';
import type { CheckpointRecord } from '../../hosts/forecast.js';

/** What a checkpoint image recorded about its host and its needs, read from its labels. */
export async function checkpointRecord(engine: Engine, image: string): Promise<CheckpointRecord> {
  if (!(await engine.imageExists(image)))
    throw new UsageError(
      `--image ${image}: no such image in local storage`,
      'name a checkpoint image (podman images | grep instanton; images import FILE brings one from elsewhere)',
    );
  const labels = await engine.imageLabels(image);
  let fp: CheckpointFingerprint = {};
  try {
    fp = decodeJsonLabel<CheckpointFingerprint>(labels[LABEL_FINGERPRINT] ?? 'e30=');
  } catch {
    // a damaged label: the image holds no usable record of its host, which the forecast says
  }
  return {
    image,
    ...(fp.cpuModel ? { cpuModel: fp.cpuModel } : {}),
    ...(fp.cpuFlags ? { cpuFlags: fp.cpuFlags.split(/\s+/).filter(Boolean) } : {}),
    ...(fp.kernel ? { kernel: fp.kernel } : {}),
    ...(fp.criu ? { criu: fp.criu.replace(/^Version:\s*/, '') } : {}),
    ...(fp.imageGlibc ? { glibc: fp.imageGlibc.replace(/^glibc\s*/, '') } : {}),
    ...(labels[LABEL_CAPS] ? { capabilities: labels[LABEL_CAPS].split(',').filter(Boolean) } : {}),
    ...((CPU_BASELINE_LEVELS as readonly string[]).includes(labels[LABEL_CPU_BASELINE] ?? '')
      ? { cpuBaseline: labels[LABEL_CPU_BASELINE] as CpuBaseline }
      : {}),
  };
}
