import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Engine } from '../../engine/engine.js';
import { IMAGES_DIR } from '../base/base-image.js';
import { hashText, hashTree, shortKey } from '../cache.js';
import type { LibertyDistribution } from './liberty-dist.js';
import type { BuildReporter } from '../progress.js';
import { buildLogged } from '../build-logged.js';

export interface LibertyImage {
  readonly tag: string;
  readonly key: string;
  readonly built: boolean;
}

export async function libertyImageTag(
  baseKey: string,
  dist: LibertyDistribution,
): Promise<{ key: string; tag: string }> {
  const key = hashText(baseKey, dist.sha512, await hashTree(path.join(IMAGES_DIR, 'liberty')));
  return { key, tag: `localhost/instanton-bench/liberty:${shortKey(key)}` };
}

/** Base image + Open Liberty + the entrypoint scripts. Cached by content key. */
export async function ensureLibertyImage(
  engine: Engine,
  opts: {
    baseTag: string;
    baseKey: string;
    dist: LibertyDistribution;
    unpackedDir: string;
    reporter: BuildReporter;
    rebuild?: boolean;
  },
): Promise<LibertyImage> {
  const recipeDir = path.join(IMAGES_DIR, 'liberty');
  const { key, tag } = await libertyImageTag(opts.baseKey, opts.dist);
  if (!opts.rebuild && (await engine.imageExists(tag))) return { tag, key, built: false };
  const started = Date.now();
  opts.reporter.step(`Liberty image: ${tag} (Open Liberty ${opts.dist.version})`);
  // The context is the unpacked distribution; our scripts go beside wlp/ under ib/.
  const ibDir = path.join(opts.unpackedDir, 'ib');
  await rm(ibDir, { recursive: true, force: true });
  await mkdir(ibDir);
  for (const name of await readdir(recipeDir)) {
    if (name !== 'Containerfile') await cp(path.join(recipeDir, name), path.join(ibDir, name), { recursive: true });
  }
  await buildLogged(
    engine,
    {
      context: opts.unpackedDir,
      tag,
      buildArgs: { BASE_IMAGE: opts.baseTag },
      file: path.join(recipeDir, 'Containerfile'),
    },
    {
      reporter: opts.reporter,
      what: 'podman build of the Liberty image',
      remedy: 'run instanton-bench doctor; rerun with --verbose for the full build output',
    },
  );
  opts.reporter.done(`Liberty image ${tag} ready`, Date.now() - started);
  return { tag, key, built: true };
}
