import path from 'node:path';
import type { Engine } from '../../engine/engine.js';
import { IMAGES_DIR } from './base-image.js';
import { buildLogged } from '../build-logged.js';
import { hashText, hashTree, shortKey } from '../cache.js';
import type { BuildReporter } from '../progress.js';

/** The base image with Debian's openjdk-N as the default java (an arm's jdk=N). Cached. */
export async function ensureJdkVariant(
  engine: Engine,
  opts: { baseTag: string; baseKey: string; jdk: number; reporter: BuildReporter },
): Promise<{ tag: string; key: string }> {
  const recipe = path.join(IMAGES_DIR, 'base-jdk');
  const key = hashText(opts.baseKey, `jdk${opts.jdk}`, await hashTree(recipe));
  const tag = `localhost/instanton-bench/base-jdk${opts.jdk}:${shortKey(key)}`;
  if (await engine.imageExists(tag)) return { tag, key };
  const started = Date.now();
  opts.reporter.step(`base image with OpenJDK ${opts.jdk}: ${tag}`);
  await buildLogged(
    engine,
    {
      context: recipe,
      tag,
      buildArgs: { BASE_IMAGE: opts.baseTag, JDK: String(opts.jdk) },
    },
    {
      reporter: opts.reporter,
      what: `podman build of the base image with OpenJDK ${opts.jdk}`,
      remedy: `check that Debian sid serves openjdk-${opts.jdk}-jdk-headless; rerun with --verbose`,
    },
  );
  opts.reporter.done(`base image with OpenJDK ${opts.jdk} ready`, Date.now() - started);
  return { tag, key };
}
