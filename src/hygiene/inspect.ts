import type { Engine } from '../engine/engine.js';
import type { ArmName } from '../results/keys.js';
import { checkpointLabel } from '../results/hygiene.js';
import type { CheckpointRecord } from '../results/types.js';
import type { Scenario } from '../scenario/types.js';
import { inspectSecrets } from './secrets.js';

/**
 * Every checkpoint of a run searched for the secrets its scenario gave or declared (hygiene.secrets), before the
 * first start; each verdict reported as it comes.
 */
export async function inspectCheckpoints(
  engine: Engine,
  checkpoints: readonly CheckpointRecord[],
  scenariosByArm: ReadonlyMap<ArmName, readonly Scenario[]>,
  hostEnv: Readonly<Record<string, string | undefined>>,
  say: (line: string) => void,
): Promise<void> {
  for (const ck of checkpoints) {
    const scenario = scenariosByArm.get(ck.arm)?.find((s) => s.name === ck.scenario);
    if (!scenario) continue;
    const secrets = await inspectSecrets(engine, ck.image, scenario, hostEnv);
    ck.hygiene = { ...ck.hygiene, secrets };
    const label = checkpointLabel(ck);
    say(`hygiene: ${label}: secrets: ${secrets.detail}`);
    for (const f of secrets.findings) say(`hygiene: ${label}: ${f.secret} is in ${f.where.join(', ')}; ${f.remedy}`);
  }
}
