import { withoutBom } from '../../core/neutralise.js';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ResultsFileError, UsageError } from '../../core/errors.js';
import type { Engine } from '../../engine/engine.js';
import type { ResultsFile } from '../../results/types.js';
import { makeDirs } from '../../core/output-paths.js';

/**
 * The same bits on every host: the images a run measured written to archives (`images export`)
 * with a manifest of their IDs and the archives' SHA-256, and loaded on another host (`images
 * import`), every archive and every loaded image checked against the manifest. An image's ID is
 * the digest of its configuration, so an imported image has the ID it had where it was built.
 */
export const MANIFEST = 'images.json';
const SAVE_TIMEOUT_MS = 30 * 60_000;

export interface ImageManifest {
  readonly kind: 'instanton-bench-images';
  readonly from: string;
  readonly images: ReadonlyArray<{
    readonly tag: string;
    readonly id: string;
    readonly file: string;
    readonly sha256: string;
  }>;
}

/** Every image a results file measured: the scenarios' images, checkpoints and AOT caches. */
export function imagesOf(results: ResultsFile): string[] {
  return [
    ...new Set([
      ...Object.values(results.environment.images).map((i) => i.tag),
      ...results.checkpoints.map((c) => c.image),
      ...(results.aotCaches ?? []).map((a) => a.image),
    ]),
  ];
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The run's images, every one checked to be in this host's storage before the first is saved or pushed. */
async function localImagesOf(
  engine: Engine,
  results: ResultsFile,
  from: string,
  where: 'export on' | 'push from',
): Promise<string[]> {
  const tags = imagesOf(results);
  for (const tag of tags)
    if (!(await engine.imageExists(tag)))
      throw new ResultsFileError(
        `${from}: ${tag}: not in this host's local storage`,
        `${where} the host that ran (or built) it, or run instanton-bench build first`,
      );
  return tags;
}

export async function exportImages(
  engine: Engine,
  results: ResultsFile,
  from: string,
  dir: string,
  say: (line: string) => void,
): Promise<ImageManifest> {
  await makeDirs(dir);
  const images: Array<ImageManifest['images'][number]> = [];
  const tags = await localImagesOf(engine, results, from, 'export on');
  for (const [i, tag] of tags.entries()) {
    const id = await engine.imageId(tag);
    const file = `image-${i + 1}.tar`;
    say(`images: saving ${tag} (${id.slice(0, 12)}) to ${file} (${i + 1}/${tags.length})`);
    const tmp = path.join(dir, `${file}.tmp`);
    await engine.saveImage(tag, tmp, SAVE_TIMEOUT_MS);
    await rename(tmp, path.join(dir, file));
    images.push({ tag, id, file, sha256: await sha256(path.join(dir, file)) });
  }
  const manifest: ImageManifest = { kind: 'instanton-bench-images', from, images };
  await writeFile(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * Read a manifest an images command wrote: JSON whose `kind` is one of `kinds` and which lists `images`. Each caller
 * names its own refusals (exit 2): the file unreadable as JSON, or of another kind.
 */
async function readManifest<T extends { readonly kind: string; readonly images: readonly unknown[] }>(
  file: string,
  kinds: readonly string[],
  unreadable: readonly [message: string, remedy: string],
  otherKind: readonly [message: string, remedy: string],
): Promise<T> {
  let manifest: T;
  try {
    manifest = JSON.parse(withoutBom(await readFile(file, 'utf8'))) as T;
  } catch {
    throw new UsageError(...unreadable);
  }
  if (!kinds.includes(manifest?.kind) || !Array.isArray(manifest.images)) throw new ResultsFileError(...otherKind);
  return manifest;
}

export async function importImages(engine: Engine, dir: string, say: (line: string) => void): Promise<ImageManifest> {
  const file = path.join(dir, MANIFEST);
  const manifest = await readManifest<ImageManifest>(
    file,
    ['instanton-bench-images'],
    [`${file}: no image manifest there`, 'pass a directory written by instanton-bench images export'],
    [`${file}: kind: not an instanton-bench image manifest`, 'pass a directory written by images export'],
  );
  for (const [i, img] of manifest.images.entries()) {
    const archive = path.join(dir, img.file);
    const digest = await sha256(archive).catch(() => undefined);
    if (digest !== img.sha256)
      throw new ResultsFileError(
        `${file}: images[${i}] (${img.tag}): ${digest === undefined ? `${img.file} is missing` : `${img.file} has SHA-256 ${digest.slice(0, 12)}, not ${img.sha256.slice(0, 12)}`}`,
        'copy the export directory again (a truncated or altered archive is never loaded)',
      );
    say(`images: loading ${img.tag} from ${img.file} (${i + 1}/${manifest.images.length})`);
    await engine.loadImage(archive, SAVE_TIMEOUT_MS);
    const id = await engine.imageId(img.tag);
    if (id !== img.id)
      throw new ResultsFileError(
        `${file}: images[${i}] (${img.tag}): loaded as ${id.slice(0, 12)}, not ${img.id.slice(0, 12)}`,
        'the archive does not hold the image the manifest names: export it again on the host that built it',
      );
  }
  return manifest;
}

/** `images push`: where each image went, by digest, so every host pulls exactly those bits. */
export interface RegistryManifest {
  readonly kind: 'instanton-bench-registry-images';
  readonly from: string;
  readonly registry: string;
  readonly images: ReadonlyArray<{ readonly tag: string; readonly id: string; readonly ref: string }>;
}

/** localhost/instanton-bench/pingperf:abc -> REGISTRY/instanton-bench/pingperf:abc */
export function registryName(registry: string, tag: string): string {
  return `${registry.replace(/\/+$/, '')}/${tag.replace(/^localhost\//, '')}`;
}

export async function pushImages(
  engine: Engine,
  results: ResultsFile,
  from: string,
  registry: string,
  opts: { readonly tlsVerify: boolean },
  say: (line: string) => void,
): Promise<RegistryManifest> {
  const images: Array<RegistryManifest['images'][number]> = [];
  const tags = await localImagesOf(engine, results, from, 'push from');
  for (const [i, tag] of tags.entries()) {
    const dest = registryName(registry, tag);
    say(`images: pushing ${tag} to ${dest} (${i + 1}/${tags.length})`);
    const digest = await engine.pushImage(tag, dest, { tlsVerify: opts.tlsVerify, timeoutMs: SAVE_TIMEOUT_MS });
    images.push({ tag, id: await engine.imageId(tag), ref: `${dest.replace(/:[^/:]+$/, '')}@${digest}` });
  }
  return { kind: 'instanton-bench-registry-images', from, registry, images };
}

export async function pullImages(
  engine: Engine,
  file: string,
  opts: { readonly tlsVerify: boolean },
  say: (line: string) => void,
): Promise<RegistryManifest> {
  const manifest = await readManifest<RegistryManifest>(
    file,
    ['instanton-bench-registry-images'],
    [`${file}: cannot read it as JSON`, 'pass the manifest images push wrote'],
    [`${file}: kind: not a manifest of images push`, 'pass the manifest images push wrote'],
  );
  for (const [i, img] of manifest.images.entries()) {
    say(`images: pulling ${img.ref} as ${img.tag} (${i + 1}/${manifest.images.length})`);
    await engine.pullByDigest(img.ref, { tlsVerify: opts.tlsVerify, timeoutMs: SAVE_TIMEOUT_MS });
    await engine.tagImage(img.ref, img.tag);
    const id = await engine.imageId(img.tag);
    if (id !== img.id)
      throw new ResultsFileError(
        `${file}: images[${i}] (${img.tag}): pulled as ${id.slice(0, 12)}, not ${img.id.slice(0, 12)}`,
        'the registry returned other bits than were pushed: push again from the host that built them',
      );
  }
  return manifest;
}

/**
 * `run --images MANIFEST`: the plan's images (an export's or a push's manifest). A shard measures
 * only those bits: every image it is about to measure must be in the manifest with the same ID.
 */
export async function checkPlanImages(engine: Engine, tags: readonly string[], manifestFile: string): Promise<number> {
  const manifest = await readManifest<ImageManifest | RegistryManifest>(
    manifestFile,
    ['instanton-bench-images', 'instanton-bench-registry-images'],
    [
      `--images ${manifestFile}: cannot read it as JSON`,
      'pass the images.json of images export, or the manifest images push wrote',
    ],
    [`--images ${manifestFile}: kind: not an image manifest`, 'pass one images export or images push wrote'],
  );
  const planned = new Map(manifest.images.map((i) => [i.tag, i.id]));
  for (const tag of tags) {
    const want = planned.get(tag);
    if (want === undefined)
      throw new ResultsFileError(
        `--images ${manifestFile}: ${tag}: this shard would measure an image the plan does not have`,
        "the shard's sources or options differ from the host that made the plan's images: use the same checkout and " +
          'options, or import the images again',
      );
    const id = await engine.imageId(tag);
    if (id !== want)
      throw new ResultsFileError(
        `--images ${manifestFile}: ${tag}: image ${id.slice(0, 12)} here, ${want.slice(0, 12)} in the plan`,
        "import the plan's images (instanton-bench images import DIR or images pull MANIFEST), then run the shard",
      );
  }
  return tags.length;
}
