import { copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Engine } from '../../engine/engine.js';
import { makeDirs } from '../../core/output-paths.js';
import type { ServerScenario } from '../../scenario/types.js';
import type { BuiltApp } from './app-build.js';
import { ensureStagedImage, type AppImage } from './app-image.js';
import { IMAGES_DIR } from '../base/base-image.js';
import { hashText, hashTree, shortKey } from '../cache.js';
import type { BuildReporter } from '../progress.js';
import type { ReplacedImages } from '../provenance.js';

/** The plain JVM's image of a scenario's jar (images/java): its build context staged, its key and tag. */
export async function stageJavaImage(opts: {
  scenario: ServerScenario;
  app: BuiltApp;
  baseKey: string;
  scratchDir: string;
}): Promise<{ contextDir: string; key: string; tag: string }> {
  const contextDir = path.join(opts.scratchDir, `context-${opts.scenario.name}-java`);
  await rm(contextDir, { recursive: true, force: true });
  await makeDirs(path.join(contextDir, 'app'));
  for (const file of ['Containerfile', 'entrypoint.sh'])
    await copyFile(path.join(IMAGES_DIR, 'java', file), path.join(contextDir, file));
  await copyFile(opts.app.warFile, path.join(contextDir, 'app', 'app.jar'));
  const key = hashText(opts.baseKey, await hashTree(contextDir), `port=${opts.scenario.httpPort}`);
  return { contextDir, key, tag: `localhost/instanton-bench/${opts.scenario.name}-java:${shortKey(key)}` };
}

/** The application's executable jar on the base image's JDK, started by `java -jar` (an arm's runtime=java). */
export async function ensureJavaImage(
  engine: Engine,
  opts: {
    scenario: ServerScenario;
    app: BuiltApp;
    baseTag: string;
    baseKey: string;
    scratchDir: string;
    reporter: BuildReporter;
    rebuild?: boolean;
    replaced: ReplacedImages;
  },
): Promise<AppImage> {
  return ensureStagedImage(engine, {
    ...(await stageJavaImage(opts)),
    parentTag: opts.baseTag,
    what: `${opts.scenario.name}: plain JVM image`,
    note: ' (java -jar, no Liberty)',
    buildArgs: { BASE_IMAGE: opts.baseTag, HTTP_PORT: String(opts.scenario.httpPort) },
    failing: `podman build of the ${opts.scenario.name} plain JVM image`,
    remedy: 'rerun with --verbose for the full build output',
    reporter: opts.reporter,
    ...(opts.rebuild !== undefined ? { rebuild: opts.rebuild } : {}),
    replaced: opts.replaced,
  });
}
