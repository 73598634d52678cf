import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine.js';
import { exportImages, imagesOf, importImages, MANIFEST } from '../../../src/images/transfer/transfer.js';
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

describe('images push / pull by digest', () => {
  it('records each pushed image by digest, pulls by that digest, and refuses an image that comes back with another ID', async () => {
    const { pushImages, pullImages, registryName } = await import('../../../src/images/transfer/transfer.js');
    expect(registryName('reg:5000/perf/', 'localhost/instanton-bench/pingperf:abc')).toBe(
      'reg:5000/perf/instanton-bench/pingperf:abc',
    );
    const registry = new Map<string, string>();
    const local: Record<string, string> = { 'app:1': 'sha256:a', 'ck:1': 'sha256:c' };
    const engine = (ids: Record<string, string>, tamper = false) =>
      ({
        imageExists: async (ref: string) => ref in ids,
        imageId: async (ref: string) => ids[ref] ?? '',
        pushImage: async (ref: string, dest: string) => {
          const digest = `sha256:${(ids[ref] ?? '').slice(7)}d`;
          registry.set(`${dest.replace(/:[^/:]+$/, '')}@${digest}`, ids[ref] ?? '');
          return digest;
        },
        pullByDigest: async (ref: string) => {
          if (!registry.has(ref)) throw new Error(`manifest unknown: ${ref}`);
          ids[ref] = tamper ? 'sha256:other' : (registry.get(ref) as string);
        },
        tagImage: async (ref: string, tag: string) => {
          ids[tag] = ids[ref] as string;
        },
      }) as unknown as Engine;
    const m = await pushImages(engine(local), results, 'r.json', 'reg:5000', { tlsVerify: false }, () => {});
    expect(m.images.map((i) => i.ref)).toEqual(['reg:5000/app@sha256:ad', 'reg:5000/ck@sha256:cd']);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-img-'));
    const file = path.join(dir, 'pushed.json');
    await writeFile(file, JSON.stringify(m));
    const elsewhere: Record<string, string> = {};
    await pullImages(engine(elsewhere), file, { tlsVerify: false }, () => {});
    expect([elsewhere['app:1'], elsewhere['ck:1']]).toEqual(['sha256:a', 'sha256:c']);
    await expect(pullImages(engine({}, true), file, { tlsVerify: false }, () => {})).rejects.toThrow(
      /images\[0\] \(app:1\): pulled as sha256:other, not sha256:a/,
    );
  });
});

describe('run --images: a shard measures only the plan images', () => {
  it("accepts the plan's images, refuses one with another ID or one the plan does not have, naming it", async () => {
    const { checkPlanImages } = await import('../../../src/images/transfer/transfer.js');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-img-'));
    const file = path.join(dir, 'images.json');
    await writeFile(
      file,
      JSON.stringify({
        kind: 'instanton-bench-images',
        images: [{ tag: 'app:1', id: 'sha256:a', file: 'x', sha256: 'y' }],
      }),
    );
    const engine = (ids: Record<string, string>) =>
      ({ imageId: async (ref: string) => ids[ref] ?? '' }) as unknown as Engine;
    expect(await checkPlanImages(engine({ 'app:1': 'sha256:a' }), ['app:1'], file)).toBe(1);
    await expect(checkPlanImages(engine({ 'app:1': 'sha256:b' }), ['app:1'], file)).rejects.toThrow(
      /app:1: image sha256:b here, sha256:a in the plan/,
    );
    await expect(checkPlanImages(engine({}), ['app:2'], file)).rejects.toThrow(
      /app:2: this shard would measure an image the plan does not have/,
    );
  });
});
