import {
  decodeJsonLabel,
  LABEL_CAPS,
  LABEL_CHECKPOINT_MS,
  LABEL_CONTENTS,
  LABEL_FINGERPRINT,
} from '../image-labels.js';
import { BuildError } from '../../core/errors.js';
import { checkpointFailureDir, KEEP_LOGS, pruneOldest } from '../../core/kept-logs.js';
import {
  CHECKPOINT_BUILD_PRIVILEGE,
  decodeCapabilityMask,
  RESTORE_CAPABILITIES,
  restorePrivilege,
  setprivCapList,
} from '../../engine/capabilities.js';
import { LABEL_TOOL } from '../../engine/labels.js';
import type { Engine } from '../../engine/engine.js';
import {
  MSG_CHECKPOINT_FAILED,
  MSG_CHECKPOINT_REQUESTED,
  MSG_FEATURE_NO_CHECKPOINT,
  MSG_NO_CHECKPOINT_SUPPORT,
} from '../../core/liberty-messages.js';
import type { CheckpointPhase } from '../../scenario/variants.js';
import { fingerprintCheckpointHost, type CheckpointFingerprint } from '../../verify/fingerprint.js';
import { hashFile, hashText, shortKey } from '../cache.js';
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { matchSignatures } from '../../diagnose/match.js';
import { formatFinding } from '../../diagnose/cases.js';
import {
  CHECKPOINT_INVENTORY,
  CHECKPOINT_LOG,
  HELD_CONNECTIONS_FILE,
  LOG_DIR,
  MESSAGES_LOG,
} from '../../core/container-paths.js';
import { IMAGES_DIR } from '../base/base-image.js';
import { parseConnections } from '../../verify/connections.js';
import { checkpointedServerProblems } from '../../verify/checkpointed-server.js';
import type { BuildReporter } from '../progress.js';
import type { CheckpointContents } from '../../results/types.js';
import { checkpointContents, describeContents } from './checkpoint-contents.js';
import { restoreRelevantLines } from '../../results/checkpoint-holds.js';
import { cachedState, describeStale, LABEL_MADE_FROM, type ReplacedImages } from '../provenance.js';
import { DEFAULT_CHECKPOINT_FLOW } from '../build-config.js';
import { verifyCpuBaselineRun } from '../app/cpu-baseline-image.js';

export const CHECKPOINT_TIMEOUT_MS = 10 * 60_000;
export type { CheckpointFlow } from '../../results/types.js';
import type { CheckpointFlow } from '../../results/types.js';
import { makeDirs } from '../../core/output-paths.js';
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
async function cachedCheckpointImage(
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

async function probeRestoreCapabilities(engine: Engine, image: string): Promise<string[]> {
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

/**
 * Liberty's documented three-step flow: run the app image privileged with
 * WLP_CHECKPOINT=PHASE (the server checkpoints itself, then the container exits),
 * `podman commit` it as the InstantOn image, remove the container.
 */
export async function ensureCheckpointImage(
  engine: Engine,
  opts: {
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
  },
): Promise<CheckpointImage> {
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
  const name = `ib-checkpoint-${opts.scenario}-${opts.phase.toLowerCase()}-${process.pid}`;
  // An image whose server is not root (USER 1001, as the official images): Liberty checkpoints it with CRIU
  // --unprivileged, and it may not shrink its own capability bounding set, so its container gets the restore
  // containers' capabilities from the start (a privileged container's full set could not be restored with fewer).
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

/** A checkpoint container that passes every check, committed as the InstantOn image with its provenance. */
async function verifyAndCommit(
  engine: Engine,
  name: string,
  run: CheckpointRun,
  c: { tag: string; appTag: string; appId: string; appSize: number; caps: readonly string[]; checkpointMs?: number },
): Promise<CheckpointImage> {
  await verifyCheckpointContainer(engine, name, run);
  const fingerprint = await fingerprintCheckpointHost(engine, c.appTag);
  const contents = await checkpointContents(engine, name);
  await commitWithLabels(engine, name, c.tag, {
    appId: c.appId,
    checkpointMs: c.checkpointMs,
    caps: c.caps,
    fingerprint,
    contents,
  });
  return {
    phase: run.phase,
    tag: c.tag,
    ...(c.checkpointMs !== undefined ? { checkpointMs: c.checkpointMs } : {}),
    addedBytes: (await engine.imageSizeBytes(c.tag)) - c.appSize,
    serverCapabilities: [...c.caps],
    fingerprint,
    ...(contents ? { contents } : {}),
    built: true,
  };
}

/** Copy a failed checkpoint container's logs out, for `diagnose`. */
async function keepCheckpointLogs(
  engine: Engine,
  container: string,
  scenario: string,
  phase: string,
  output: string,
): Promise<string> {
  await pruneOldest(checkpointFailureDir(), KEEP_LOGS - 1);
  const dir = path.join(
    checkpointFailureDir(),
    `${scenario}-${phase}-${new Date().toISOString().replace(/[:.]/g, '-')}`,
  );
  await makeDirs(dir);
  // Best effort: the logs that exist are kept; output.txt below always is.
  await engine.copyFromContainer(container, LOG_DIR, dir);
  await writeFile(path.join(dir, 'output.txt'), output);
  return dir;
}

/** Commit a checkpoint container as the InstantOn image, its provenance in labels. */
async function commitWithLabels(
  engine: Engine,
  container: string,
  tag: string,
  meta: {
    appId: string;
    checkpointMs: number | undefined;
    caps: readonly string[];
    fingerprint: CheckpointFingerprint;
    contents: CheckpointContents | undefined;
  },
): Promise<void> {
  // The cache hands this image out only while the app image's tag still points at this ID.
  await engine.commitContainer(container, tag, [
    `LABEL ${LABEL_MADE_FROM}=${meta.appId}`,
    'ENV WLP_CHECKPOINT=',
    'ENV IB_CHECKPOINT_CAPS=',
    `LABEL ${LABEL_TOOL}=instanton`,
    ...(meta.checkpointMs !== undefined ? [`LABEL ${LABEL_CHECKPOINT_MS}=${meta.checkpointMs}`] : []),
    `LABEL ${LABEL_CAPS}=${meta.caps.join(',')}`,
    `LABEL ${LABEL_FINGERPRINT}=${Buffer.from(JSON.stringify(meta.fingerprint)).toString('base64')}`,
    ...(meta.contents
      ? [`LABEL ${LABEL_CONTENTS}=${Buffer.from(JSON.stringify(meta.contents)).toString('base64')}`]
      : []),
  ]);
}

/** A checkpoint container's run, as its checks need it. */
interface CheckpointRun {
  readonly scenario: string;
  readonly phase: CheckpointPhase;
  readonly exitCode: number | undefined;
  readonly timedOut: boolean;
  readonly output: string;
}

/**
 * Refuse a container (run, or created from a built image) that does not hold a good checkpoint; each check says why.
 */
async function verifyCheckpointContainer(engine: Engine, name: string, run: CheckpointRun): Promise<void> {
  // The console reaches stdout through bin/server's `tail -f`, which may be killed before it
  // prints the last lines: read messages.log too.
  const messages = (await engine.readContainerFile(name, MESSAGES_LOG)) ?? '';
  await refuseFailedCheckpoint(engine, name, run, messages);
  await refuseMisconfiguredServer(engine, name, run, messages);
  await refuseHeldConnections(engine, name, run);
}

/** Liberty or CRIU said the checkpoint failed, or no CRIU image was written. */
async function refuseFailedCheckpoint(
  engine: Engine,
  name: string,
  run: CheckpointRun,
  messages: string,
): Promise<void> {
  const output = `${run.output}\n${messages}`;
  const failed = [MSG_CHECKPOINT_FAILED, MSG_NO_CHECKPOINT_SUPPORT, MSG_FEATURE_NO_CHECKPOINT].filter((id) =>
    output.includes(id),
  );
  const inventory = await engine.readContainerFile(name, CHECKPOINT_INVENTORY);
  if (run.exitCode === 0 && failed.length === 0 && output.includes(MSG_CHECKPOINT_REQUESTED) && inventory !== undefined)
    return;
  const criuLogText = await engine.readContainerFile(name, CHECKPOINT_LOG);
  const criuLog = criuLogText ?? '(no checkpoint.log: CRIU did not run)';
  const kept = await keepCheckpointLogs(engine, name, run.scenario, run.phase, output);
  // The fix names a file that exists: without a checkpoint.log, a remedy pointing at it is no help.
  const usable = matchSignatures([output, criuLog]).filter(
    (f) => criuLogText !== undefined || !f.signature.remedy.includes('checkpoint.log'),
  );
  const fix = (usable.find((f) => f.signature.id === 'liberty-feature-no-checkpoint') ?? usable[0])?.signature.remedy;
  const tail = (text: string): string =>
    text
      .split('\n')
      .slice(-15)
      .map((l) => `  | ${l}`)
      .join('\n');
  throw new BuildError(
    `checkpoint of ${run.scenario} at ${run.phase} failed (exit ` +
      `${run.exitCode}${run.timedOut ? ', timed out' : ''}${failed.length ? `, ${failed.join(', ')}` : ''})\n` +
      `server output and messages.log:\n${tail(output)}\ncheckpoint.log:\n${tail(criuLog)}\n` +
      (usable.length > 0 ? `diagnosis:\n${usable.flatMap((f) => formatFinding(f)).join('\n')}\n` : '') +
      `logs kept in ${kept} (instanton-bench diagnose ${kept})`,
    fix ?? `see the evidence above and the logs in ${kept}; instanton-bench doctor checks CRIU in the base image`,
  );
}

/** Liberty checkpoints a server whose features did not install, or whose application never started, too. */
async function refuseMisconfiguredServer(
  engine: Engine,
  name: string,
  run: CheckpointRun,
  messages: string,
): Promise<void> {
  const problems = checkpointedServerProblems(messages, run.phase);
  if (problems.length === 0) return;
  const kept = await keepCheckpointLogs(engine, name, run.scenario, run.phase, `${run.output}\n${messages}`);
  throw new BuildError(
    `the ${run.phase} checkpoint of ${run.scenario} holds a server that did not start as configured: ` +
      `${problems.join('; ')}\nlogs kept in ${kept}`,
    matchSignatures([messages])[0]?.signature.remedy ??
      'fix server.xml or the application as the lines above say, then build again',
  );
}

/**
 * The shim lists the TCP connections the server held at the dump. A restored copy of an
 * established connection talks to a peer that has forgotten it: refuse such images.
 */
async function refuseHeldConnections(engine: Engine, name: string, run: CheckpointRun): Promise<void> {
  const held = parseConnections((await engine.readContainerFile(name, HELD_CONNECTIONS_FILE)) ?? '');
  const external = held.filter((c) => !c.loopback);
  if (external.length === 0) return;
  throw new BuildError(
    `the ${run.phase} checkpoint of ${run.scenario} captured ${external.length} established TCP connection(s): ` +
      `${external.map((c) => `${c.local} -> ${c.remote}`).join(', ')}; ` +
      'restores would resume sockets whose peers (a database?) have long closed them',
    'measure this scenario at beforeAppStart, or make the application open its connections on first use (after ' +
      'restore), not during startup',
  );
}

/** The `RUN checkpoint.sh PHASE` flow: the checkpoint is a layer of a podman build. */
async function buildFlow(
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
