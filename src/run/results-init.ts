import { needsAotCache } from '../scenario/variants.js';
import { sealPlan } from '../results/plan-digest.js';
import { TOOL_VERSION } from '../core/tool-version.js';
import { imagesKey, type ArmName } from '../results/keys.js';
import type { ScenarioImages } from '../images/stack.js';

/** The images of each arm (undefined: a run without arms), by scenario name. */
export type ArmImages = ReadonlyMap<ArmName, ReadonlyMap<string, ScenarioImages>>;
import type { Engine } from '../engine/engine.js';
import {
  compareFingerprints,
  fingerprintCheckpointHost,
  fingerprintHost,
  fingerprintImage,
} from '../verify/fingerprint.js';
import {
  RESULTS_KIND,
  RESULTS_SCHEMA_VERSION,
  type CheckpointRecord,
  type ResultsFile,
  type RunConfig,
} from '../results/types.js';
import { type HostSpeed } from '../hostspeed/types.js';

export async function toolVersion(): Promise<string> {
  return TOOL_VERSION;
}

/** A new results file: environment, resolved configuration, checkpoints, no runs yet. */
export async function initResults(
  engine: Engine,
  config: RunConfig,
  imagesByArm: ArmImages,
  warnings: readonly string[],
  hostSpeed?: HostSpeed,
): Promise<ResultsFile> {
  const host = await fingerprintHost(engine);
  const imageInfo: Record<string, ResultsFile['environment']['images'][string]> = {};
  const checkpoints: CheckpointRecord[] = [];
  const allWarnings: string[] = [...warnings];
  const entries = [...imagesByArm].flatMap(([arm, images]) =>
    [...images].map(([scenario, img]) => ({ arm, scenario, img })),
  );
  for (const { arm, scenario, img } of entries) {
    const name = imagesKey(arm, scenario);
    imageInfo[name] = { ...(await fingerprintImage(engine, img.appImage)), liberty: img.libertyVersion };
    const now =
      Object.keys(img.checkpoints).length > 0 ? await fingerprintCheckpointHost(engine, img.appImage) : undefined;
    for (const ck of Object.values(img.checkpoints)) {
      if (!config.variants.includes(ck.phase)) continue;
      const fingerprintWarnings = now ? compareFingerprints(ck.fingerprint, now) : [];
      allWarnings.push(...fingerprintWarnings.map((w) => `${name} ${ck.phase}: ${w}`));
      checkpoints.push({
        scenario,
        ...(arm !== undefined ? { arm } : {}),
        phase: ck.phase,
        image: ck.tag,
        imageId: await engine.imageId(ck.tag),
        ...(ck.checkpointMs !== undefined ? { checkpointMs: ck.checkpointMs } : {}),
        addedBytes: ck.addedBytes,
        serverCapabilities: ck.serverCapabilities,
        fingerprint: Object.fromEntries(Object.entries(ck.fingerprint).filter(([k]) => k !== 'cpuFlags')) as Record<
          string,
          string
        >,
        fingerprintWarnings,
        ...(ck.contents ? { contents: ck.contents } : {}),
      });
    }
  }
  const first = entries[0]?.img;
  return {
    kind: RESULTS_KIND,
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'instanton-bench', version: await toolVersion() },
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    state: 'running',
    environment: {
      ...host,
      images: imageInfo,
      ...(first ? { libertyVersion: first.libertyVersion } : {}),
      ...(hostSpeed ? { hostSpeed } : {}),
    },
    config: sealPlan(config),
    checkpoints,
    aotCaches: entries.flatMap(({ arm, scenario, img }) =>
      img.aotCache && needsAotCache(config.variants)
        ? [
            {
              scenario,
              ...(arm !== '' ? { arm } : {}),
              image: img.aotCache.tag,
              cacheBytes: img.aotCache.cacheBytes,
              addedBytes: img.aotCache.addedBytes,
              trainingMs: img.aotCache.trainingMs,
            },
          ]
        : [],
    ),
    warnings: allWarnings,
    services: [],
    runs: [],
  };
}
