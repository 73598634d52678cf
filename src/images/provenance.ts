import type { Engine } from '../engine/engine.js';
import type { BuildReporter } from './progress.js';

/**
 * Which image a derived image (app, checkpoint, AOT cache) was made from, by image ID. Tags are
 * content keys of the inputs, but `--rebuild` (or a build killed half-way through one) makes a
 * new image under the same tag: a checkpoint tagged for the app's key may still sit on the
 * replaced app image. An image is handed out from the cache only when its recorded parent is
 * the parent image the tag points at now; anything else is made again.
 */
export const LABEL_MADE_FROM = 'io.instanton-bench.made-from';

/** The images a build replaced or found stale, removed once nothing newer depends on them. */
export class ReplacedImages {
  private readonly ids: string[] = [];

  /** Remember the image now at `tag` (if any), before a build puts another one there. */
  async remember(engine: Engine, tag: string): Promise<void> {
    if (!(await engine.imageExists(tag))) return;
    const id = await engine.imageId(tag);
    if (!this.ids.includes(id)) this.ids.push(id);
  }

  /**
   * Remove the remembered images that no tag and no container uses any more, newest first (children before parents).
   */
  async removeUnused(engine: Engine, reporter: BuildReporter): Promise<number> {
    let removed = 0;
    for (const id of [...this.ids].reverse()) {
      if (await engine.removeUnusedImage(id)) {
        removed += 1;
        reporter.detail(`removed the replaced image ${id.slice(0, 12)}`);
      }
    }
    this.ids.length = 0;
    return removed;
  }
}

export type CachedState =
  | { readonly state: 'current' }
  | { readonly state: 'missing' }
  | { readonly state: 'stale'; readonly madeFrom: string | undefined; readonly parentId: string };

/**
 * Whether the image at `tag` may be used as it is: it exists and was made from the image now
 * at `parentRef`. A stale one is remembered in `replaced` (removed at the end of the build).
 */
export async function cachedState(engine: Engine, tag: string, parentRef: string): Promise<CachedState> {
  if (!(await engine.imageExists(tag))) return { state: 'missing' };
  const parentId = await engine.imageId(parentRef);
  const madeFrom = (await engine.imageLabels(tag))[LABEL_MADE_FROM];
  if (madeFrom === parentId) return { state: 'current' };
  return { state: 'stale', madeFrom, parentId };
}

/** The progress line for a stale image that is about to be made again. */
export function describeStale(what: string, tag: string, s: Extract<CachedState, { state: 'stale' }>): string {
  const from = s.madeFrom
    ? `made from image ${s.madeFrom.slice(0, 12)}`
    : 'without a record of the image it was made from';
  return (
    `${what} ${tag} is stale (${from}, the current one is ${s.parentId.slice(0, 12)}; a build cut short?): ` +
    `making it again`
  );
}

/** The label change for a commit, or the label for a build, naming the parent image's ID. */
export async function madeFromLabel(engine: Engine, parentRef: string): Promise<Record<string, string>> {
  return { [LABEL_MADE_FROM]: await engine.imageId(parentRef) };
}
