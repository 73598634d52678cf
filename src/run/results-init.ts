import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ScenarioImages } from '../images/build-scenario.js';
import type { Engine } from '../engine/engine.js';
import type { PlannedStart } from './schedule.js';
import type { RunOptions } from './options.js';
import { compareFingerprints, fingerprintCheckpointHost, fingerprintHost, fingerprintImage } from '../verify/fingerprint.js';
import { RESULTS_KIND, RESULTS_SCHEMA_VERSION, type CheckpointRecord, type ResultsFile } from '../results/types.js';

export async function toolVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** A new results file: environment, resolved configuration, checkpoints, no runs yet. */
export async function initResults(
  podman: Engine,
  options: RunOptions,
  images: ReadonlyMap<string, ScenarioImages>,
  order: readonly PlannedStart[],
  cpus: { server: string; harness: string },
): Promise<ResultsFile> {
  const host = await fingerprintHost(podman);
  const imageInfo: Record<string, ResultsFile['environment']['images'][string]> = {};
  const checkpoints: CheckpointRecord[] = [];
  const warnings: string[] = [...options.variantWarnings];
  for (const [name, img] of images) {
    imageInfo[name] = await fingerprintImage(podman, img.appImage);
    const now = Object.keys(img.checkpoints).length > 0 ? await fingerprintCheckpointHost(podman, img.appImage) : undefined;
    for (const ck of Object.values(img.checkpoints)) {
      if (!options.variants.includes(ck.phase)) continue;
      const fingerprintWarnings = now ? compareFingerprints(ck.fingerprint, now) : [];
      warnings.push(...fingerprintWarnings.map((w) => `${name} ${ck.phase}: ${w}`));
      checkpoints.push({
        scenario: name,
        phase: ck.phase,
        image: ck.tag,
        imageId: await podman.imageId(ck.tag),
        checkpointMs: ck.checkpointMs,
        addedBytes: ck.addedBytes,
        serverCapabilities: ck.serverCapabilities,
        fingerprint: Object.fromEntries(Object.entries(ck.fingerprint).filter(([k]) => k !== 'cpuFlags')) as Record<string, string>,
        fingerprintWarnings,
      });
    }
  }
  const first = images.values().next().value;
  return {
    kind: RESULTS_KIND,
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'instanton-bench', version: await toolVersion() },
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    state: 'running',
    environment: { ...host, images: imageInfo, ...(first ? { libertyVersion: first.libertyVersion } : {}) },
    config: {
      scenarios: [...images.keys()],
      scenarioRefs: options.scenarios.map((ref) => (ref.includes('/') || ref.startsWith('.') ? path.resolve(ref) : ref)),
      variants: options.variants,
      runs: options.runs,
      warmup: options.warmup,
      seed: options.seed,
      pin: options.pin,
      serverCpus: cpus.server,
      harnessCpus: cpus.harness,
      profile: options.profile,
      ...(options.readyTimeoutMs !== undefined ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
      restoreMode: options.privileged ? 'privileged' : 'least-privilege',
      strict: options.strict,
      ...(options.targetCiPct !== undefined ? { targetCiPct: options.targetCiPct, maxRuns: options.maxRuns } : {}),
      order,
    },
    checkpoints,
    warnings,
    services: [],
    runs: [],
  };
}
