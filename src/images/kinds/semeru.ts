import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { UsageError } from '../../core/errors.js';
import { isServerScenario, type ImageScenario, type ServerScenario } from '../../scenario/types.js';
import { ensureApp } from '../app/app-build.js';
import { stageServerDir } from '../app/app-image.js';
import { semeruContainerfile } from '../user-image/semeru-profile.js';
import { semeruCommands } from '../user-image/semeru-commands.js';
import type { BuildOptions } from '../stack.js';
import { refuseJavaRuntime, wantsAotCache, type ScenarioKind } from './kind.js';
import { applyServerArm, serverKind } from './server.js';
import { aotOnImageScenario, buildImageScenario } from './image.js';

/**
 * A server scenario under `--profile semeru`: its server and app built as Open Liberty's docs build them, on the
 * official InstantOn image (Semeru, OpenJ9), and measured as that image. Arms apply as to a server scenario.
 */
export const semeruKind: ScenarioKind<ServerScenario> = {
  name: 'semeru',
  claims: (scenario, profile): scenario is ServerScenario => profile === 'semeru' && isServerScenario(scenario),
  refuse(scenario, arm, opts) {
    refuseJavaRuntime(scenario, arm);
    if (wantsAotCache(arm, opts)) throw aotOnImageScenario(scenario);
    if (arm?.cpuBaseline !== undefined)
      throw new UsageError(
        `--arm ${arm.name}: cpu-baseline: the semeru profile runs OpenJ9, which makes its own checkpoints portable`,
        'drop --profile semeru for this arm',
      );
  },
  applyArm: applyServerArm,
  ...(serverKind.beforeBuild ? { beforeBuild: serverKind.beforeBuild } : {}),
  async dryRun(_engine, s, opts) {
    const tag = `localhost/instanton-bench/semeru-${s.name}:latest`;
    const cmds = semeruCommands(s, opts.engineFlags, tag, `<context of ${s.name}>`);
    return {
      lines: [
        `# ${s.name}: Containerfile\n${semeruContainerfile(s)}`,
        `# build\n${cmds.build.join(' ')}`,
        ...Object.entries(cmds.checkpoint).map(
          ([phase, c]) => `# checkpoint ${phase}\n${c.run.join(' ')}\n${c.commit.join(' ')}\n${c.remove.join(' ')}`,
        ),
        `# measured starts\n${cmds.cold.join(' ')}\n${cmds.restore.join(' ')}\n`,
      ],
    };
  },
  build: async (engine, scenario, build) =>
    buildImageScenario(engine, await semeruImageScenario(scenario, build), build),
};

/**
 * The semeru profile: the scenario's server and app staged as a context, with the Containerfile Open Liberty's docs
 * write for the official InstantOn image (images/user-image/semeru-profile.ts), measured as an image scenario.
 */
async function semeruImageScenario(scenario: ServerScenario, build: BuildOptions): Promise<ImageScenario> {
  const app = await ensureApp(scenario, build.cache, build.reporter, build.config.rebuild);
  const context = path.join(build.cache, 'scratch', `semeru-${scenario.name}`);
  await stageServerDir(scenario, app, context);
  const containerfile = path.join(context, 'Containerfile');
  await writeFile(containerfile, semeruContainerfile(scenario));
  const { app: _app, server: _server, ...rest } = scenario;
  return { ...rest, image: { kind: 'containerfile', containerfile, context, buildArgs: {}, base: 'official' } };
}
