import path from 'node:path';
import type { Engine } from '../../engine/engine.js';
import { setprivCapList } from '../../engine/capabilities.js';
import { IMAGES_DIR } from './base-image.js';
import { hashText, hashTree, shortKey } from '../cache.js';
import type { BuildReporter } from '../progress.js';
import { buildLogged } from '../build-logged.js';
import { cachedState, madeFromLabel } from '../provenance.js';
import { restoreCapabilitySet } from '../checkpoint/checkpoint-shared.js';

/** The repository of the local InstantOn base (the official images' contract on the tool's Liberty image). */
export const OPEN_LIBERTY_REPOSITORY = 'localhost/instanton-bench/open-liberty';
/** The stable tag a Containerfile's FROM line can name, moved to the newest base each build. */
export const OPEN_LIBERTY_TAG = `${OPEN_LIBERTY_REPOSITORY}:instanton`;

export interface OpenLibertyImage {
  /** The content-keyed tag (what is recorded and built on). */
  readonly tag: string;
  /** The stable tags pointing at it: `:instanton` and `:<liberty>-java<N>-instanton`. */
  readonly stableTags: readonly string[];
  readonly built: boolean;
}

/** The Java feature version of an image's default java (`java -version` prints `version "25.0.1"`). */
async function javaMajor(engine: Engine, image: string): Promise<string> {
  const found = await engine.cachedProbe(await engine.imageId(image), 'java-major', async () => {
    const out = await engine.runOnce({ image, purpose: 'probe', entrypoint: 'java', args: ['-version'] });
    return /version "(\d+)/.exec(out.all)?.[1];
  });
  return found ?? 'unknown';
}

/**
 * The local base (images/open-liberty): what `FROM icr.io/appcafe/open-liberty:...` lines are
 * replaced with under `--base local`. Cached by content key, made from the Liberty image by ID.
 */
export async function ensureOpenLibertyImage(
  engine: Engine,
  opts: { libertyTag: string; libertyKey: string; libertyVersion: string; reporter: BuildReporter },
): Promise<OpenLibertyImage> {
  const recipeDir = path.join(IMAGES_DIR, 'open-liberty');
  const caps = await restoreCapabilitySet(engine, opts.libertyTag);
  const key = hashText(opts.libertyKey, await hashTree(recipeDir), caps.join(','));
  const tag = `${OPEN_LIBERTY_REPOSITORY}:${shortKey(key)}`;
  const cached = await cachedState(engine, tag, opts.libertyTag);
  let built = false;
  if (cached.state !== 'current') {
    const started = Date.now();
    opts.reporter.step(
      `local InstantOn base: ${tag} (the official images' contract on Open Liberty ${opts.libertyVersion})`,
    );
    await buildLogged(
      engine,
      {
        context: recipeDir,
        tag,
        buildArgs: { LIBERTY_IMAGE: opts.libertyTag, IB_RESTORE_CAPS: setprivCapList(caps) },
        labels: await madeFromLabel(engine, opts.libertyTag),
        noCache: cached.state === 'stale',
      },
      {
        reporter: opts.reporter,
        what: 'podman build of the local InstantOn base',
        remedy: 'run instanton-bench doctor; rerun with --verbose for the full build output',
      },
    );
    opts.reporter.done(`local InstantOn base ${tag} ready`, Date.now() - started);
    built = true;
  }
  const stableTags = [
    OPEN_LIBERTY_TAG,
    `${OPEN_LIBERTY_REPOSITORY}:${opts.libertyVersion}-java${await javaMajor(engine, tag)}-instanton`,
  ];
  for (const stable of stableTags) await engine.tagImage(tag, stable);
  return { tag, stableTags, built };
}
