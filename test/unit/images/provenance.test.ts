import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine.js';
import { buildLockPath, lockBuild } from '../../../src/images/build-lock.js';
import { cachedState, LABEL_MADE_FROM, ReplacedImages } from '../../../src/images/provenance.js';

/** An image store of tag -> {id, labels}, enough for the cache's provenance checks. */
function store(
  images: Record<string, { id: string; labels?: Record<string, string> }>,
): Engine & { removed: string[] } {
  const removed: string[] = [];
  const engine = {
    removed,
    imageExists: async (ref: string) => ref in images,
    imageId: async (ref: string) => images[ref]?.id ?? Promise.reject(new Error(`no ${ref}`)),
    imageLabels: async (ref: string) => images[ref]?.labels ?? {},
    removeUnusedImage: async (id: string) => {
      removed.push(id);
      return true;
    },
  };
  return engine as unknown as Engine & { removed: string[] };
}

describe('derived images are handed out only when made from the current parent', () => {
  it('current, missing and stale (another parent, or no record at all)', async () => {
    const engine = store({
      app: { id: 'app-2' },
      ck: { id: 'ck-1', labels: { [LABEL_MADE_FROM]: 'app-1' } },
      ckNow: { id: 'ck-2', labels: { [LABEL_MADE_FROM]: 'app-2' } },
      old: { id: 'ck-0' },
    });
    expect(await cachedState(engine, 'ckNow', 'app')).toEqual({ state: 'current' });
    expect(await cachedState(engine, 'nothing', 'app')).toEqual({ state: 'missing' });
    // The killed --rebuild case: the tag of the app's key now names a new app image.
    expect(await cachedState(engine, 'ck', 'app')).toEqual({ state: 'stale', madeFrom: 'app-1', parentId: 'app-2' });
    expect(await cachedState(engine, 'old', 'app')).toEqual({ state: 'stale', madeFrom: undefined, parentId: 'app-2' });
  });

  it('removes the images a build replaced, children before parents', async () => {
    const engine = store({ app: { id: 'app-1' }, ck: { id: 'ck-1' } });
    const replaced = new ReplacedImages();
    await replaced.remember(engine, 'app');
    await replaced.remember(engine, 'ck');
    await replaced.remember(engine, 'absent');
    const lines: string[] = [];
    expect(
      await replaced.removeUnused(engine, {
        step: () => undefined,
        detail: (l: string) => lines.push(l),
        done: () => undefined,
      } as never),
    ).toBe(2);
    expect(engine.removed).toEqual(['ck-1', 'app-1']);
  });
});

describe('one build at a time', () => {
  it('a second build waits for the first, saying which process, then goes on', async () => {
    const cache = await mkdtemp(path.join(os.tmpdir(), 'ib-lock-'));
    const first = await lockBuild(cache, 'build', () => undefined);
    const said: string[] = [];
    let taken = false;
    const second = lockBuild(cache, 'run', (l) => said.push(l), undefined, 10).then((l) => {
      taken = true;
      return l;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(taken).toBe(false);
    expect(said[0]).toMatch(new RegExp(`waiting for instanton-bench build \\(pid ${process.pid}, since .*\\)`));
    await first.release();
    await (await second).release();
    expect(taken).toBe(true);
  });

  it('takes over the lock of a process that is gone', async () => {
    const cache = await mkdtemp(path.join(os.tmpdir(), 'ib-lock-'));
    await writeFile(
      buildLockPath(cache),
      JSON.stringify({ pid: 999_999_999, startTicks: 1, command: 'build', since: 'then' }),
    );
    const said: string[] = [];
    const lock = await lockBuild(cache, 'build', (l) => said.push(l), undefined, 10);
    expect(said).toEqual([]);
    await lock.release();
  });
});
