import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BuildError } from '../core/errors.js';
import type { Engine } from '../engine/engine.js';
import { IMAGE_BUILD_TIMEOUT_MS } from '../engine/podman.js';
import type { Scenario } from '../scenario/types.js';
import type { BuiltApp } from './app-build.js';
import { IMAGES_DIR } from './base-image.js';
import { hashText, hashTree, shortKey } from './cache.js';
import type { BuildReporter } from './progress.js';
import { buildLogged } from './build-logged.js';

export interface AppImage {
  readonly tag: string;
  readonly key: string;
  readonly built: boolean;
}

/** Lay out the server directory (config + app) that the app image copies in. */
export async function stageServerDir(scenario: Scenario, app: BuiltApp, contextDir: string): Promise<void> {
  const serverDir = path.join(contextDir, 'server');
  await rm(contextDir, { recursive: true, force: true });
  await mkdir(path.join(serverDir, 'apps'), { recursive: true });
  await copyFile(path.join(IMAGES_DIR, 'app', 'Containerfile'), path.join(contextDir, 'Containerfile'));
  await copyFile(scenario.server.serverXml, path.join(serverDir, 'server.xml'));
  if (scenario.server.jvmOptions) await copyFile(scenario.server.jvmOptions, path.join(serverDir, 'jvm.options'));
  if (scenario.server.serverEnv) await copyFile(scenario.server.serverEnv, path.join(serverDir, 'server.env'));
  const ours = await readFile(path.join(IMAGES_DIR, 'app', 'bootstrap.properties'), 'utf8');
  const theirs = scenario.server.bootstrapProperties ? await readFile(scenario.server.bootstrapProperties, 'utf8') : '';
  await writeFile(path.join(serverDir, 'bootstrap.properties'), `${theirs}\n${ours}`);
  await copyFile(app.warFile, path.join(serverDir, 'apps', scenario.app.deployAs));
  for (const [dest, src] of Object.entries(app.serverFiles)) {
    await mkdir(path.dirname(path.join(serverDir, dest)), { recursive: true });
    await copyFile(src, path.join(serverDir, dest)).catch((error: NodeJS.ErrnoException) => {
      throw new BuildError(
        `${scenario.file}: server.files["${dest}"]: expected a file at ${src} (after the app build), ${error.code === 'ENOENT' ? 'found nothing' : `cannot copy it (${error.code ?? error.message})`}`,
        'correct the path, or make the Maven build produce that file',
      );
    });
  }
}

/** Liberty image + the scenario's server, primed by one start at build time. */
export async function ensureAppImage(
  podman: Engine,
  opts: { scenario: Scenario; app: BuiltApp; libertyTag: string; libertyKey: string; scratchDir: string; prime: boolean; reporter: BuildReporter; rebuild?: boolean },
): Promise<AppImage> {
  const contextDir = path.join(opts.scratchDir, `context-${opts.scenario.name}`);
  await stageServerDir(opts.scenario, opts.app, contextDir);
  const key = hashText(opts.libertyKey, await hashTree(contextDir), `prime=${opts.prime}`);
  const tag = `localhost/instanton-bench/${opts.scenario.name}:${shortKey(key)}`;
  if (!opts.rebuild && (await podman.imageExists(tag))) {
    await rm(contextDir, { recursive: true, force: true });
    return { tag, key, built: false };
  }
  const started = Date.now();
  opts.reporter.step(`${opts.scenario.name}: app image ${tag}${opts.prime ? ' (priming the server once)' : ''}`);
  try {
    await buildLogged(podman, { context: contextDir, tag, buildArgs: { LIBERTY_IMAGE: opts.libertyTag, PRIME: String(opts.prime) }, timeoutMs: IMAGE_BUILD_TIMEOUT_MS }, {
      reporter: opts.reporter,
      what: `podman build of the ${opts.scenario.name} image`,
      remedy: 'check server.xml and the application; rerun with --verbose for the full build output',
    });
  } finally {
    await rm(contextDir, { recursive: true, force: true });
  }
  opts.reporter.done(`${opts.scenario.name}: app image ready`, Date.now() - started);
  return { tag, key, built: true };
}
