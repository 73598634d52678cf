import { type CheckpointImage } from './checkpoint-shared.js';
import { makeDirs } from '../../core/output-paths.js';
import { LABEL_CAPS, LABEL_CHECKPOINT_MS, LABEL_CONTENTS, LABEL_FINGERPRINT } from '../image-labels.js';
import { BuildError } from '../../core/errors.js';
import { checkpointFailureDir, KEEP_LOGS, pruneOldest } from '../../core/kept-logs.js';
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
import { parseConnections } from '../../verify/connections.js';
import { checkpointedServerProblems } from '../../verify/checkpointed-server.js';
import type { CheckpointContents } from '../../results/types.js';
import { checkpointContents } from './checkpoint-contents.js';
import { LABEL_MADE_FROM } from '../provenance.js';

/** A checkpoint container that passes every check, committed as the InstantOn image with its provenance. */
export async function verifyAndCommit(
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
export async function keepCheckpointLogs(
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
export async function commitWithLabels(
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
export interface CheckpointRun {
  readonly scenario: string;
  readonly phase: CheckpointPhase;
  readonly exitCode: number | undefined;
  readonly timedOut: boolean;
  readonly output: string;
}

/**
 * Refuse a container (run, or created from a built image) that does not hold a good checkpoint; each check says why.
 */
export async function verifyCheckpointContainer(engine: Engine, name: string, run: CheckpointRun): Promise<void> {
  // The console reaches stdout through bin/server's `tail -f`, which may be killed before it
  // prints the last lines: read messages.log too.
  const messages = (await engine.readContainerFile(name, MESSAGES_LOG)) ?? '';
  await refuseFailedCheckpoint(engine, name, run, messages);
  await refuseMisconfiguredServer(engine, name, run, messages);
  await refuseHeldConnections(engine, name, run);
}

/** Liberty or CRIU said the checkpoint failed, or no CRIU image was written. */
export async function refuseFailedCheckpoint(
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
export async function refuseMisconfiguredServer(
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
export async function refuseHeldConnections(engine: Engine, name: string, run: CheckpointRun): Promise<void> {
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
