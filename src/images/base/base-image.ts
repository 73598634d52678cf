import { readIfExists } from '../../core/read-if-exists.js';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../../engine/engine.js';
import { hashText, shortKey } from '../cache.js';
import type { BuildReporter } from '../progress.js';
import { runLogged } from '../run-logged.js';
import { makeDirs } from '../../core/output-paths.js';

export const IMAGES_DIR = fileURLToPath(new URL('../../../images/', import.meta.url));
export const BASE_RECIPE_VERSION = '1';
export const BASE_SUITE = 'sid';
export const DEBOOTSTRAP_TIMEOUT_MS = 20 * 60_000;
export const IMPORT_TIMEOUT_MS = 10 * 60_000;
export const FALLBACK_DEBIAN_MIRROR = 'http://deb.debian.org/debian';

export async function readBasePackages(): Promise<string[]> {
  const text = await readFile(path.join(IMAGES_DIR, 'base', 'packages.txt'), 'utf8');
  return text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

/**
 * The Debian mirror this machine's apt already uses (deb822 or one-line sources),
 * so the base image comes from the same place as the host's packages.
 */
export async function detectDebianMirror(env: Readonly<Record<string, string | undefined>>): Promise<string> {
  if (env.IB_DEBIAN_MIRROR) return env.IB_DEBIAN_MIRROR;
  const deb822 = (await readIfExists('/etc/apt/sources.list.d/debian.sources')) ?? '';
  for (const line of deb822.split('\n')) {
    const m = /^URIs:\s*(\S+)/.exec(line);
    if (m?.[1] && !m[1].includes('security')) return m[1];
  }
  const oneLine = (await readIfExists('/etc/apt/sources.list')) ?? '';
  for (const line of oneLine.split('\n')) {
    const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+/.exec(line);
    if (m?.[1] && !m[1].includes('security')) return m[1];
  }
  return FALLBACK_DEBIAN_MIRROR;
}

export interface BaseImage {
  readonly tag: string;
  readonly key: string;
  readonly packages: readonly string[];
  readonly built: boolean;
}

export async function baseImageTag(): Promise<{ tag: string; key: string; packages: string[] }> {
  const packages = await readBasePackages();
  const key = hashText(BASE_RECIPE_VERSION, BASE_SUITE, ...packages);
  return { tag: `localhost/instanton-bench/base:${shortKey(key)}`, key, packages };
}

/** A rootfs image of another Debian suite (e.g. for reproducing CRIU failures of older releases). */
export interface RootfsRecipe {
  readonly suite: string;
  readonly packages: readonly string[];
  readonly name: string;
}

export function recipeTag(recipe: RootfsRecipe): { tag: string; key: string; packages: string[] } {
  const key = hashText(BASE_RECIPE_VERSION, recipe.suite, ...recipe.packages);
  return { tag: `localhost/instanton-bench/${recipe.name}:${shortKey(key)}`, key, packages: [...recipe.packages] };
}

/** debootstrap a Debian sid rootfs with the JDK and CRIU (or a recipe's suite and packages), then `podman import` it. Cached by recipe. */
export async function ensureBaseImage(
  engine: Engine,
  opts: {
    scratchDir: string;
    env: Readonly<Record<string, string | undefined>>;
    reporter: BuildReporter;
    rebuild?: boolean;
    recipe?: RootfsRecipe;
  },
): Promise<BaseImage> {
  const { tag, key, packages } = opts.recipe ? recipeTag(opts.recipe) : await baseImageTag();
  const suite = opts.recipe?.suite ?? BASE_SUITE;
  if (!opts.rebuild && (await engine.imageExists(tag))) return { tag, key, packages, built: false };
  const mirror = await detectDebianMirror(opts.env);
  const rootfs = path.join(opts.scratchDir, `rootfs-${shortKey(key)}`);
  await rm(rootfs, { recursive: true, force: true });
  await makeDirs(opts.scratchDir);
  const started = Date.now();
  opts.reporter.step(`base image: debootstrap ${suite} with ${packages.join(', ')} from ${mirror} (about a minute)`);
  try {
    await runLogged('debootstrap', ['--variant=minbase', `--include=${packages.join(',')}`, suite, rootfs, mirror], {
      timeoutMs: DEBOOTSTRAP_TIMEOUT_MS,
      reporter: opts.reporter,
      what: 'debootstrap of the base image',
      remedy:
        `check that ${mirror} is reachable (set IB_DEBIAN_MIRROR to another mirror) and that debootstrap is ` +
        `installed (apt-get install debootstrap)`,
    });
    await rm(path.join(rootfs, 'var/cache/apt/archives'), { recursive: true, force: true });
    await makeDirs(path.join(rootfs, 'var/cache/apt/archives/partial'));
    await rm(path.join(rootfs, 'var/lib/apt/lists'), { recursive: true, force: true });
    await makeDirs(path.join(rootfs, 'var/lib/apt/lists/partial'));
    opts.reporter.step(`base image: podman import as ${tag}`);
    await engine.importRootfs(rootfs, tag, ['LABEL io.instanton-bench=base', 'ENV LANG=C.UTF-8'], IMPORT_TIMEOUT_MS);
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
  opts.reporter.done(`base image ${tag} ready`, Date.now() - started);
  return { tag, key, packages, built: true };
}
