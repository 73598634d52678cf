import { copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Engine } from '../../engine/engine.js';
import { makeDirs } from '../../core/output-paths.js';
import type { ServerScenario } from '../../scenario/types.js';
import type { BuiltApp } from './app-build.js';
import type { AppImage } from './app-image.js';
import { IMAGES_DIR } from '../base/base-image.js';
import { hashText, hashTree, shortKey } from '../cache.js';
import type { BuildReporter } from '../progress.js';
import { buildLogged } from '../build-logged.js';
import { cachedState, describeStale, madeFromLabel, type ReplacedImages } from '../provenance.js';

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
  const { contextDir, key, tag } = await stageJavaImage(opts);
  const cached = await cachedState(engine, tag, opts.baseTag);
  if (!opts.rebuild && cached.state === 'current') {
    await rm(contextDir, { recursive: true, force: true });
    return { tag, key, built: false };
  }
  if (cached.state === 'stale' && !opts.rebuild)
    opts.reporter.step(describeStale(`${opts.scenario.name}: plain JVM image`, tag, cached));
  await opts.replaced.remember(engine, tag);
  const started = Date.now();
  opts.reporter.step(`${opts.scenario.name}: plain JVM image ${tag} (java -jar, no Liberty)`);
  try {
    await buildLogged(
      engine,
      {
        context: contextDir,
        tag,
        buildArgs: { BASE_IMAGE: opts.baseTag, HTTP_PORT: String(opts.scenario.httpPort) },
        labels: await madeFromLabel(engine, opts.baseTag),
        noCache: opts.rebuild === true || cached.state === 'stale',
      },
      {
        reporter: opts.reporter,
        what: `podman build of the ${opts.scenario.name} plain JVM image`,
        remedy: 'rerun with --verbose for the full build output',
      },
    );
  } finally {
    await rm(contextDir, { recursive: true, force: true });
  }
  opts.reporter.done(`${opts.scenario.name}: plain JVM image ready`, Date.now() - started);
  return { tag, key, built: true };
}
