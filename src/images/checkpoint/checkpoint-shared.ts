import {
  decodeJsonLabel,
  LABEL_CAPS,
  LABEL_CHECKPOINT_MS,
  LABEL_CONTENTS,
  LABEL_FINGERPRINT,
} from '../image-labels.js';
import { BuildError } from '../../core/errors.js';
import { decodeCapabilityMask, restorePrivilege } from '../../engine/capabilities.js';
import type { Engine } from '../../engine/engine.js';
import type { CheckpointPhase } from '../../scenario/variants.js';
import { type CheckpointFingerprint } from '../../verify/fingerprint.js';
import type { CheckpointContents } from '../../results/types.js';

export const CHECKPOINT_TIMEOUT_MS = 10 * 60_000;

export const CHECKPOINT_RECIPE_VERSION = '3';

export interface CheckpointImage {
  readonly phase: CheckpointPhase;
  readonly tag: string;
  /** Wall time of the checkpoint container (launch to exit after the dump); absent for a user's own build step. */
  readonly checkpointMs?: number;
  /** Bytes the checkpoint layer adds to the app image. */
  readonly addedBytes: number;
  /** Capabilities the checkpointed server holds (its bounding set). */
  readonly serverCapabilities: readonly string[];
  readonly fingerprint: CheckpointFingerprint;
  /** What the checkpoint holds (CRIU's dump statistics and images); absent when they could not be read. */
  readonly contents?: CheckpointContents;
  readonly built: boolean;
}

/** A checkpoint image from the cache, as its labels describe it (the build recorded them). */
export async function cachedCheckpointImage(
  engine: Engine,
  phase: CheckpointPhase,
  tag: string,
  addedBytes: number,
): Promise<CheckpointImage> {
  const labels = await engine.imageLabels(tag);
  return {
    phase,
    tag,
    ...(labels[LABEL_CHECKPOINT_MS] !== undefined ? { checkpointMs: Number(labels[LABEL_CHECKPOINT_MS]) } : {}),
    addedBytes,
    serverCapabilities: (labels[LABEL_CAPS] ?? '').split(',').filter(Boolean),
    fingerprint: decodeJsonLabel<CheckpointFingerprint>(labels[LABEL_FINGERPRINT] ?? 'e30='),
    ...(labels[LABEL_CONTENTS] ? { contents: decodeJsonLabel<CheckpointContents>(labels[LABEL_CONTENTS]) } : {}),
    built: false,
  };
}

/** The capability bounding set a least-privilege restore container has (read, not assumed). */
export async function restoreCapabilitySet(engine: Engine, image: string): Promise<string[]> {
  return engine.cachedProbe(await engine.imageId(image), 'restore-caps', () => probeRestoreCapabilities(engine, image));
}

export async function probeRestoreCapabilities(engine: Engine, image: string): Promise<string[]> {
  const out = await engine.runOnce({
    image,
    purpose: 'probe',
    entrypoint: 'grep',
    args: ['CapBnd', '/proc/self/status'],
    privilege: restorePrivilege('least-privilege'),
  });
  const hex = /CapBnd:\s*([0-9a-f]+)/.exec(out.stdout)?.[1];
  if (!hex)
    throw new BuildError(
      `cannot read the restore containers' capabilities: ${out.all.slice(-300)}`,
      'run instanton-bench doctor',
    );
  return decodeCapabilityMask(hex);
}
