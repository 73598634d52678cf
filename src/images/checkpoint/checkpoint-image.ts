import { RESTORE_CAPABILITIES, setprivCapList } from '../../engine/capabilities.js';
import { LABEL_TOOL } from '../../engine/labels.js';
import type { Engine } from '../../engine/engine.js';
import type { CheckpointPhase } from '../../scenario/variants.js';
import { hashFile, hashText, shortKey } from '../cache.js';
import type { BuildReporter } from '../progress.js';
import { describeContents } from './checkpoint-contents.js';
import { restoreRelevantLines } from '../../results/checkpoint-holds.js';
import { cachedState, describeStale, type ReplacedImages } from '../provenance.js';
import { DEFAULT_CHECKPOINT_FLOW } from './checkpoint-flow.js';
import { verifyCpuBaselineRun } from '../app/cpu-baseline-image.js';
import { verifyAndCommit } from './checkpoint-verify.js';
import { buildFlow } from './checkpoint-build-flow.js';
import {
  CHECKPOINT_RECIPE_VERSION,
  CHECKPOINT_TIMEOUT_MS,
  cachedCheckpointImage,
  restoreCapabilitySet,
  type CheckpointImage,
} from './checkpoint-shared.js';

import type { CheckpointFlow } from '../../results/types.js';

/**
 * The checkpoints of every phase asked for, one image each from the same source image: what every kind that takes
 * checkpoints of its image (a server scenario, a user's image) does.
 */
export async function ensureCheckpointImages(
  engine: Engine,
  phases: readonly CheckpointPhase[],
  request: Omit<CheckpointRequest, 'phase'>,
): Promise<Partial<Record<CheckpointPhase, CheckpointImage>>> {
  const checkpoints: Partial<Record<CheckpointPhase, CheckpointImage>> = {};
  for (const phase of phases) checkpoints[phase] = await checkpointOf(engine, { ...request, phase });
  return checkpoints;
}

/** What a checkpoint image is made from, and how. */
export interface CheckpointRequest {
  scenario: string;
  appTag: string;
  appKey: string;
  phase: CheckpointPhase;
  reporter: BuildReporter;
  env?: Readonly<Record<string, string>>;
  /** Files mounted read-only into the checkpoint run (container path -> host path). */
  mounts?: Readonly<Record<string, string>>;
  rebuild?: boolean;
  /** podman network of the scenario's services. */
  network?: string;
  /** Start the scenario's services for the checkpoint run; returns their stop. */
  withServices?: () => Promise<() => Promise<void>>;
  /** 'run': privileged run + commit (default); 'build': `RUN checkpoint.sh PHASE` in podman build. */
  flow?: CheckpointFlow;
  replaced: ReplacedImages;
}

/**
 * Liberty's documented three-step flow: run the app image privileged with
 * WLP_CHECKPOINT=PHASE (the server checkpoints itself, then the container exits),
 * `podman commit` it as the InstantOn image, remove the container.
 */
async function checkpointOf(engine: Engine, opts: CheckpointRequest): Promise<CheckpointImage> {
  const caps = await restoreCapabilitySet(engine, opts.appTag);
  const flow = opts.flow ?? DEFAULT_CHECKPOINT_FLOW;
  // What the checkpoint run was given is in the checkpoint: another environment or mounted file makes another image
  // (neither counts when empty, so images made before they did keep their keys).
  const given = await checkpointInputs(opts.env, opts.mounts);
  const key = hashText(
    opts.appKey,
    opts.phase,
    CHECKPOINT_RECIPE_VERSION,
    caps.join(','),
    flow === 'run' ? '' : flow,
    ...given,
  );
  const tag =
    `localhost/instanton-bench/${opts.scenario}-instanton-${opts.phase.toLowerCase()}` +
    `${flow === 'build' ? '-built' : ''}:${shortKey(key)}`;
  const appSize = await engine.imageSizeBytes(opts.appTag);
  const cached = await cachedState(engine, tag, opts.appTag);
  if (!opts.rebuild && cached.state === 'current')
    return cachedCheckpointImage(engine, opts.phase, tag, (await engine.imageSizeBytes(tag)) - appSize);
  if (cached.state === 'stale' && !opts.rebuild)
    opts.reporter.step(describeStale(`${opts.scenario}: ${opts.phase} checkpoint image`, tag, cached));
  await opts.replaced.remember(engine, tag);
  // Everything below uses the app image by ID, read once: a tag moved meanwhile cannot mix two images.
  const appId = await engine.imageId(opts.appTag);
  if (flow === 'build') return buildFlow(engine, { ...opts, caps, tag, appSize, appId });
  const { name, runSpec } = await checkpointRun(engine, opts, appId, caps);
  const stopServices = opts.withServices ? await opts.withServices() : undefined;
  const started = Date.now();
  try {
    const run = await engine.runToExit(runSpec, CHECKPOINT_TIMEOUT_MS);
    const checkpointMs = Date.now() - started;
    if (run.exitCode === 0)
      await verifyCpuBaselineRun(engine, {
        image: appId,
        container: name,
        output: run.all,
        what: `${opts.scenario}: ${opts.phase} checkpoint`,
      });
    const image = await verifyAndCommit(
      engine,
      name,
      { scenario: opts.scenario, phase: opts.phase, exitCode: run.exitCode, timedOut: run.timedOut, output: run.all },
      { tag, appTag: opts.appTag, appId, appSize, caps, checkpointMs },
    );
    opts.reporter.done(
      `${opts.scenario}: ${opts.phase} checkpoint image ${tag} (+${(image.addedBytes / 1024 ** 2).toFixed(0)} ` +
        `MB${describeContents(image.contents)})`,
      checkpointMs,
    );
    for (const line of restoreRelevantLines(image.contents))
      opts.reporter.step(`${opts.scenario}: ${opts.phase} checkpoint holds ${line}`);
    return image;
  } finally {
    await engine.removeContainer(name);
    if (stopServices) await stopServices();
  }
}

/**
 * The checkpoint run's container. An image whose server is not root (USER 1001, as the official images): Liberty
 * checkpoints it with CRIU --unprivileged, and it may not shrink its own capability bounding set, so its container
 * gets the restore containers' capabilities from the start (a privileged container's full set could not be restored
 * with fewer).
 */
async function checkpointRun(
  engine: Engine,
  opts: {
    scenario: string;
    phase: CheckpointPhase;
    reporter: BuildReporter;
    env?: Readonly<Record<string, string>>;
    mounts?: Readonly<Record<string, string>>;
    network?: string;
  },
  appId: string,
  caps: readonly string[],
) {
  const name = `ib-checkpoint-${opts.scenario}-${opts.phase.toLowerCase()}-${process.pid}`;
  const user = (await engine.imageRunConfig(appId)).user;
  const unprivileged = !/^(|0|root)(:.*)?$/.test(user);
  opts.reporter.step(
    `${opts.scenario}: checkpoint at ${opts.phase} (${unprivileged ? `run as user ${user} with the restore containers' capabilities` : 'privileged run'} with WLP_CHECKPOINT, then commit)`,
  );
  await engine.removeContainer(name);
  const runSpec = {
    name,
    image: appId,
    labels: { [LABEL_TOOL]: 'checkpoint' },
    env: { ...(opts.env ?? {}), WLP_CHECKPOINT: opts.phase, IB_CHECKPOINT_CAPS: setprivCapList(caps) },
    ...(opts.mounts && Object.keys(opts.mounts).length > 0 ? { mounts: opts.mounts } : {}),
    // CRIU suspends the server's seccomp filter to dump it, which it cannot do under a filter of its own.
    privilege: unprivileged
      ? { kind: 'capabilities' as const, add: RESTORE_CAPABILITIES, seccompUnconfined: true }
      : { kind: 'privileged' as const },
    ...(opts.network ? { network: { name: opts.network } } : {}),
  };
  return { name, runSpec };
}

/** The checkpoint run's environment and mounted files (by content), as parts of its image's key; none when empty. */
async function checkpointInputs(
  env: Readonly<Record<string, string>> | undefined,
  mounts: Readonly<Record<string, string>> | undefined,
): Promise<string[]> {
  const parts: string[] = [];
  if (env && Object.keys(env).length > 0) parts.push(`env:${JSON.stringify(Object.entries(env).sort())}`);
  for (const [target, source] of Object.entries(mounts ?? {}).sort())
    parts.push(`mount:${target}:${await hashFile(source)}`);
  return parts;
}
