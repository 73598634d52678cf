import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DownloadError } from '../../core/errors.js';
import { exists, hashFile } from '../cache.js';
import type { BuildReporter } from '../progress.js';
import { runLogged } from '../run-logged.js';
import { makeDirs } from '../../core/output-paths.js';

/**
 * Open Liberty at a pinned version, from Maven Central, with its checksum verified.
 * openliberty-runtime is the all-features zip; the server only loads the features its
 * server.xml names, so unused features cost disk, not startup time.
 */
export interface LibertyDistribution {
  readonly groupId: string;
  readonly artifactId: string;
  readonly version: string;
  /** SHA-512 of the zip, as published beside it on Maven Central, pinned here. */
  readonly sha512: string;
  /** A local zip (an arm's liberty-zip=PATH) instead of Maven Central's. */
  readonly localZip?: string;
}

export const DEFAULT_LIBERTY: LibertyDistribution = {
  groupId: 'io.openliberty',
  artifactId: 'openliberty-runtime',
  version: '26.0.0.3',
  sha512:
    'bdef923955f94fe51c71506f159aa42ed67fb6baa6b319c4262065e0845d030a068814d1ee247b0d754b13f56712011f97d3dd6ee090471837d2dfc82b731e5e',
};

export const MAVEN_CENTRAL = 'https://repo.maven.apache.org/maven2';
export const UNZIP_TIMEOUT_MS = 5 * 60_000;

export function distributionUrl(dist: LibertyDistribution, repo = MAVEN_CENTRAL): string {
  const group = dist.groupId.replaceAll('.', '/');
  return `${repo}/${group}/${dist.artifactId}/${dist.version}/${dist.artifactId}-${dist.version}.zip`;
}

const LIBERTY_METADATA_TIMEOUT_MS = 30_000;

/** The Open Liberty releases Maven Central serves (undefined when it cannot be reached). */
export async function publishedLibertyVersions(repo = MAVEN_CENTRAL): Promise<string[] | undefined> {
  try {
    const r = await fetch(`${repo}/io/openliberty/openliberty-runtime/maven-metadata.xml`, {
      signal: AbortSignal.timeout(LIBERTY_METADATA_TIMEOUT_MS),
    });
    if (!r.ok) return undefined;
    return [...(await r.text()).matchAll(/<version>([^<]+)<\/version>/g)].map((m) => m[1] as string);
  } catch {
    return undefined; // offline: the download itself reports the problem with its own remedy
  }
}

/** Another release from Maven Central, its checksum taken from the .sha512 published beside it. */
export async function libertyRelease(version: string, repo = MAVEN_CENTRAL): Promise<LibertyDistribution> {
  if (version === DEFAULT_LIBERTY.version) return DEFAULT_LIBERTY;
  const dist = { ...DEFAULT_LIBERTY, version, sha512: '' };
  const url = `${distributionUrl(dist, repo)}.sha512`;
  const r = await fetch(url, { signal: AbortSignal.timeout(LIBERTY_METADATA_TIMEOUT_MS) }).catch((error: unknown) => {
    throw new DownloadError(
      `cannot reach ${url}: ${(error as Error).message}`,
      'check the network access to Maven Central',
      'E_DOWNLOAD',
      error,
    );
  });
  const sha512 = r.ok ? /^[0-9a-f]{128}/.exec((await r.text()).trim())?.[0] : undefined;
  if (!sha512)
    throw new DownloadError(
      `no SHA-512 for Open Liberty ${version} at ${url} (HTTP ${r.status})`,
      'use a version Maven Central publishes',
    );
  return { ...dist, sha512 };
}

/** A local Open Liberty zip (a build of your own), named by its checksum. */
export async function localLiberty(zip: string): Promise<LibertyDistribution> {
  const sha512 = await hashFile(zip, 'sha512');
  return {
    groupId: 'local',
    artifactId: 'openliberty',
    version: `local-${sha512.slice(0, 12)}`,
    sha512,
    localZip: zip,
  };
}

/** Download (once) and verify the zip; returns its path in the cache (or the local zip). */
export async function ensureLibertyZip(
  dist: LibertyDistribution,
  cache: string,
  reporter: BuildReporter,
  repo = MAVEN_CENTRAL,
): Promise<string> {
  if (dist.localZip !== undefined) return dist.localZip;
  const dir = path.join(cache, 'downloads');
  const file = path.join(dir, `${dist.artifactId}-${dist.version}.zip`);
  if (await exists(file)) return file;
  await makeDirs(dir);
  const url = distributionUrl(dist, repo);
  reporter.step(`Open Liberty ${dist.version}: downloading ${url}`);
  const partial = `${file}.partial`;
  const response = await fetch(url).catch((error: unknown) => {
    throw new DownloadError(
      `cannot reach ${url}: ${(error as Error).message}`,
      'check the network access to Maven Central',
      'E_DOWNLOAD',
      error,
    );
  });
  if (!response.ok || !response.body) {
    throw new DownloadError(
      `download of ${url} failed: HTTP ${response.status}`,
      'check the Liberty version pinned in src/images/liberty-dist.ts',
    );
  }
  await pipeline(
    Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
    createWriteStream(partial),
  );
  const actual = await hashFile(partial, 'sha512');
  if (actual !== dist.sha512) {
    await rm(partial, { force: true });
    throw new DownloadError(
      `checksum mismatch for ${url}: expected sha512 ${dist.sha512.slice(0, 16)}..., got ${actual.slice(0, 16)}...`,
      'the download was corrupted or the artifact changed; retry, and if it persists, report it',
      'E_CHECKSUM',
    );
  }
  await rename(partial, file);
  return file;
}

/** Unzip (once) into the cache; returns the directory holding wlp/. */
export async function ensureLibertyUnpacked(
  zip: string,
  cache: string,
  dist: LibertyDistribution,
  reporter: BuildReporter,
): Promise<string> {
  const dir = path.join(cache, 'liberty', `${dist.artifactId}-${dist.version}`);
  if (await exists(path.join(dir, 'wlp', 'bin', 'server'))) return dir;
  const tmp = `${dir}.partial`;
  await rm(tmp, { recursive: true, force: true });
  await makeDirs(tmp);
  reporter.step(`Open Liberty ${dist.version}: unpacking`);
  await runLogged('unzip', ['-q', zip, '-d', tmp], {
    timeoutMs: UNZIP_TIMEOUT_MS,
    reporter,
    what: 'unzip of Open Liberty',
    remedy: 'install unzip (apt-get install unzip) and check the free disk space',
  });
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return dir;
}
