import { rm } from 'node:fs/promises';
import path from 'node:path';
import { SERVER_CONFIG_DIR } from '../../core/container-paths.js';
import { statIfExists } from '../../core/read-if-exists.js';
import type { Engine } from '../../engine/engine.js';
import { LABEL_TOOL } from '../../engine/labels.js';
import type { Scenario } from '../../scenario/types.js';
import type { CheckpointPhase } from '../../scenario/variants.js';
import { checkCheckpointFeatures } from './feature-check.js';
import type { BuildReporter } from '../progress.js';
import { makeDirs } from '../../core/output-paths.js';

/**
 * The feature check for a user's image, before any checkpoint is attempted: the server configuration (/config) and
 * the feature manifests are copied out of the built image, and its features are checked against that Liberty's own
 * manifests, with the same fixes as for a scenario's server.xml.
 */
export async function checkImageFeatures(
  engine: Engine,
  scenario: Scenario,
  image: string,
  opts: { phases: readonly CheckpointPhase[]; release: string; scratchDir: string; reporter: BuildReporter },
): Promise<void> {
  const dir = path.join(opts.scratchDir, `features-${scenario.name}-${process.pid}`);
  const name = `ib-features-${scenario.name}-${process.pid}`;
  await rm(dir, { recursive: true, force: true });
  await makeDirs(path.join(dir, 'wlp', 'lib'));
  try {
    await engine.removeContainer(name);
    await engine.createContainer({ name, image, labels: { [LABEL_TOOL]: 'probe' } });
    const config = await engine.copyFromContainer(name, SERVER_CONFIG_DIR, dir);
    const manifests = await engine.copyFromContainer(name, '/opt/ol/wlp/lib/features', path.join(dir, 'wlp', 'lib'));
    await engine.removeContainer(name);
    const serverDir = path.join(dir, path.basename(SERVER_CONFIG_DIR));
    const serverXml = path.join(serverDir, 'server.xml');
    if (!config || !manifests || !(await statIfExists(serverXml))) {
      opts.reporter.step(
        `warning: ${scenario.name}: no ${SERVER_CONFIG_DIR}/server.xml or feature manifests in ${image}: its ` +
          'features ' +
          'are not checked before the checkpoint',
      );
      return;
    }
    const bootstrap = path.join(serverDir, 'bootstrap.properties');
    const dropins = path.join(serverDir, 'configDropins');
    await checkCheckpointFeatures(
      {
        file: `${scenario.file} (the image's ${SERVER_CONFIG_DIR})`,
        serverXmlShownAs: `/config/server.xml in ${image}`,
        server: {
          serverXml,
          ...((await statIfExists(bootstrap)) ? { bootstrapProperties: bootstrap } : {}),
          files: (await statIfExists(dropins)) ? { configDropins: dropins } : {},
        },
      },
      { libertyDir: dir, release: opts.release, phases: opts.phases, reporter: opts.reporter },
    );
  } finally {
    await engine.removeContainer(name);
    await rm(dir, { recursive: true, force: true });
  }
}
