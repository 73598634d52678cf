import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine.js';
import { exportImages, imagesOf, importImages, MANIFEST } from '../../../src/images/transfer.js';
import type { ResultsFile } from '../../../src/results/types.js';

/** Just the image calls transfer makes: archives hold the image's ID, as podman's do. */
function storage(ids: Record<string, string>): Engine {
  return {
    imageExists: async (ref: string) => ref in ids,
    imageId: async (ref: string) => ids[ref] ?? '',
    saveImage: async (ref: string, file: string) => writeFile(file, `${ref} ${ids[ref]}`),
    loadImage: async (file: string) => {
      const [ref, id] = (await readFile(file, 'utf8')).split(' ');
      ids[ref as string] = id as string;
      return `Loaded image: ${ref}`;
    },
  } as unknown as Engine;
}

const results = {
  environment: { images: { pingperf: { tag: 'app:1', id: 'sha256:a' } } },
  checkpoints: [{ image: 'ck:1' }],
  aotCaches: [],
} as unknown as ResultsFile;

describe('images export / import', () => {
  it('exports every image a run measured with its ID and archive digest, and imports them checked', async () => {
    expect(imagesOf(results)).toEqual(['app:1', 'ck:1']);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-img-'));
    const m = await exportImages(
      storage({ 'app:1': 'sha256:a', 'ck:1': 'sha256:c' }),
      results,
      'r.json',
      dir,
      () => {},
    );
    expect(m.images.map((i) => [i.tag, i.id, i.file])).toEqual([
      ['app:1', 'sha256:a', 'image-1.tar'],
      ['ck:1', 'sha256:c', 'image-2.tar'],
    ]);
    const elsewhere: Record<string, string> = {};
    await importImages(storage(elsewhere), dir, () => {});
    expect(elsewhere).toEqual({ 'app:1': 'sha256:a', 'ck:1': 'sha256:c' });
  });

  it('refuses an altered archive before loading it, and an image that loads with another ID', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-img-'));
    await exportImages(storage({ 'app:1': 'sha256:a', 'ck:1': 'sha256:c' }), results, 'r.json', dir, () => {});
    await writeFile(path.join(dir, 'image-2.tar'), 'ck:1 sha256:evil');
    await expect(importImages(storage({}), dir, () => {})).rejects.toThrow(
      /images\[1\] \(ck:1\): image-2\.tar has SHA-256/,
    );
    const m = JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8')) as { images: Array<{ sha256: string }> };
    const { createHash } = await import('node:crypto');
    (m.images[1] as { sha256: string }).sha256 = createHash('sha256').update('ck:1 sha256:evil').digest('hex');
    await writeFile(path.join(dir, MANIFEST), JSON.stringify(m));
    await expect(importImages(storage({}), dir, () => {})).rejects.toThrow(/loaded as sha256:evil, not sha256:c/);
    await expect(exportImages(storage({}), results, 'r.json', dir, () => {})).rejects.toThrow(
      /app:1: not in this host's local storage/,
    );
  });
});
