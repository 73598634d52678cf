import path from 'node:path';
import type { Engine } from '../../engine/engine.js';
import { IMAGES_DIR } from '../base/base-image.js';
import { hashText, hashTree, shortKey } from '../cache.js';
import type { BuildReporter } from '../progress.js';
import { buildLogged } from '../build-logged.js';

/** PostgreSQL from Debian sid's packages on the base image (local profile). Cached. */
export async function ensurePostgresImage(
  engine: Engine,
  opts: { baseTag: string; baseKey: string; reporter: BuildReporter },
): Promise<string> {
  const recipe = path.join(IMAGES_DIR, 'postgres');
  const tag = `localhost/instanton-bench/postgres:${shortKey(hashText(opts.baseKey, await hashTree(recipe)))}`;
  if (await engine.imageExists(tag)) return tag;
  const started = Date.now();
  opts.reporter.step(`PostgreSQL image ${tag} (apt-get install postgresql)`);
  await buildLogged(
    engine,
    { context: recipe, tag, buildArgs: { BASE_IMAGE: opts.baseTag } },
    {
      reporter: opts.reporter,
      what: 'podman build of the PostgreSQL image',
      remedy: 'check that the Debian mirror is reachable from containers; rerun with --verbose',
    },
  );
  opts.reporter.done(`PostgreSQL image ready`, Date.now() - started);
  return tag;
}
