import path from 'node:path';
import type { Engine } from '../../engine/engine.js';
import { detectDebianMirror, IMAGES_DIR } from './base-image.js';
import { hashText, hashTree, shortKey } from '../cache.js';
import type { BuildReporter } from '../progress.js';
import { buildLogged } from '../build-logged.js';

import type { CriuSuite } from '../../results/types.js';

/** The base image with another Debian release's CRIU (downgraded in place). Cached. */
export async function ensureCriuVariant(
  engine: Engine,
  opts: {
    baseTag: string;
    baseKey: string;
    suite: CriuSuite;
    env: Readonly<Record<string, string | undefined>>;
    reporter: BuildReporter;
  },
): Promise<{ tag: string; key: string }> {
  const recipe = path.join(IMAGES_DIR, 'base-criu');
  const key = hashText(opts.baseKey, opts.suite, await hashTree(recipe));
  const tag = `localhost/instanton-bench/base-criu-${opts.suite}:${shortKey(key)}`;
  if (await engine.imageExists(tag)) return { tag, key };
  const started = Date.now();
  opts.reporter.step(`base image with Debian ${opts.suite}'s CRIU: ${tag}`);
  await buildLogged(
    engine,
    {
      context: recipe,
      tag,
      buildArgs: { BASE_IMAGE: opts.baseTag, SUITE: opts.suite, MIRROR: await detectDebianMirror(opts.env) },
    },
    {
      reporter: opts.reporter,
      what: `podman build of the base image with ${opts.suite}'s CRIU`,
      remedy: 'check that the Debian mirror serves that release; rerun with --verbose',
    },
  );
  opts.reporter.done(`base image with ${opts.suite}'s CRIU ready`, Date.now() - started);
  return { tag, key };
}
