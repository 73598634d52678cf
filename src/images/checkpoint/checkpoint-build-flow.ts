import {
  CHECKPOINT_RECIPE_VERSION,
  CHECKPOINT_TIMEOUT_MS,
  cachedCheckpointImage,
  restoreCapabilitySet,
  type CheckpointImage,
} from './checkpoint-shared.js';
import { BuildError } from '../../core/errors.js';
import { CHECKPOINT_BUILD_PRIVILEGE, setprivCapList } from '../../engine/capabilities.js';
import { LABEL_TOOL } from '../../engine/labels.js';
import type { Engine } from '../../engine/engine.js';
import type { CheckpointPhase } from '../../scenario/variants.js';
import { hashText, shortKey } from '../cache.js';
import path from 'node:path';
import { IMAGES_DIR } from '../base/base-image.js';
import type { BuildReporter } from '../progress.js';
import { cachedState, type ReplacedImages } from '../provenance.js';
import { verifyAndCommit } from './checkpoint-verify.js';

/** The `RUN checkpoint.sh PHASE` flow: the checkpoint is a layer of a podman build. */
export async function buildFlow(
  engine: Engine,
  opts: {
    scenario: string;
    appTag: string;
    phase: CheckpointPhase;
    reporter: BuildReporter;
    network?: string;
    withServices?: () => Promise<() => Promise<void>>;
    caps: string[];
    tag: string;
    appSize: number;
    appId: string;
  },
): Promise<CheckpointImage> {
  opts.reporter.step(`${opts.scenario}: checkpoint at ${opts.phase} (podman build, RUN checkpoint.sh ${opts.phase})`);
  const stopServices = opts.withServices ? await opts.withServices() : undefined;
  const name = `ib-checkpoint-verify-${opts.scenario}-${process.pid}`;
  const started = Date.now();
  try {
    const buildTag = `${opts.tag}-layer`;
    const build = await engine.buildImage({
      context: path.join(IMAGES_DIR, 'checkpoint'),
      tag: buildTag,
      buildArgs: { APP_IMAGE: opts.appTag, PHASE: opts.phase, IB_CHECKPOINT_CAPS: setprivCapList(opts.caps) },
      privilege: CHECKPOINT_BUILD_PRIVILEGE,
      ...(opts.network ? { network: opts.network } : {}),
      timeoutMs: CHECKPOINT_TIMEOUT_MS,
    });
    const buildOutput = build.tail.join('\n');
    const checkpointMs = Date.now() - started;
    if (build.exitCode !== 0) {
      throw new BuildError(
        `podman build of the ${opts.phase} checkpoint of ${opts.scenario} failed:\n${build.tail
          .slice(-20)
          .map((l) => `  | ${l}`)
          .join('\n')}`,
        'see the output above; the build flow needs podman build --cap-add and seccomp=unconfined',
      );
    }
    await engine.removeContainer(name);
    await engine.createContainer({ name, image: buildTag, labels: { [LABEL_TOOL]: 'checkpoint' } });
    const image = await verifyAndCommit(
      engine,
      name,
      { scenario: opts.scenario, phase: opts.phase, exitCode: 0, timedOut: false, output: buildOutput },
      { tag: opts.tag, appTag: opts.appTag, appId: opts.appId, appSize: opts.appSize, caps: opts.caps, checkpointMs },
    );
    // The intermediate tag only names the build's layer; a failed untag leaves a harmless extra tag.
    await engine.untagImage(buildTag).catch(() => undefined);
    opts.reporter.done(
      `${opts.scenario}: ${opts.phase} checkpoint image ${opts.tag} (build flow, ` +
        `+${(image.addedBytes / 1024 ** 2).toFixed(0)} MiB)`,
      checkpointMs,
    );
    return image;
  } finally {
    await engine.removeContainer(name);
    if (stopServices) await stopServices();
  }
}

/**
 * An image that already holds a checkpoint (its Containerfile ended in `RUN checkpoint.sh PHASE`): the checkpoint is
 * checked like one the tool takes (a container created from the image, never started) and the image committed with
 * the same provenance labels. The image is measured as that phase; it cannot be started cold.
 */
export async function adoptHeldCheckpoint(
  engine: Engine,
  opts: {
    scenario: string;
    imageTag: string;
    phase: CheckpointPhase;
    reporter: BuildReporter;
    replaced: ReplacedImages;
  },
): Promise<CheckpointImage> {
  const imageId = await engine.imageId(opts.imageTag);
  const caps = await restoreCapabilitySet(engine, imageId);
  const key = hashText(imageId, opts.phase, CHECKPOINT_RECIPE_VERSION, caps.join(','), 'held');
  const tag = `localhost/instanton-bench/${opts.scenario}-instanton-${opts.phase.toLowerCase()}-held:${shortKey(key)}`;
  const cached = await cachedState(engine, tag, opts.imageTag);
  const size = await engine.imageSizeBytes(imageId);
  // The adopted image is the user's image, committed again with labels: it adds nothing.
  if (cached.state === 'current') return cachedCheckpointImage(engine, opts.phase, tag, 0);
  await opts.replaced.remember(engine, tag);
  opts.reporter.step(`${opts.scenario}: the image holds an ${opts.phase} checkpoint (RUN checkpoint.sh): checking it`);
  const name = `ib-checkpoint-held-${opts.scenario}-${process.pid}`;
  try {
    await engine.removeContainer(name);
    await engine.createContainer({ name, image: imageId, labels: { [LABEL_TOOL]: 'checkpoint' } });
    const image = await verifyAndCommit(
      engine,
      name,
      // The build's output is gone; messages.log and CRIU's logs in the image are what is checked.
      { scenario: opts.scenario, phase: opts.phase, exitCode: 0, timedOut: false, output: '' },
      // The checkpoint's own time is not known (it was a build step): left out, never a made-up figure.
      { tag, appTag: opts.imageTag, appId: imageId, appSize: size, caps },
    );
    opts.reporter.done(`${opts.scenario}: ${opts.phase} checkpoint in the image checked (${tag})`, 0);
    return image;
  } finally {
    await engine.removeContainer(name);
  }
}
