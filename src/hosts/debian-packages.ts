import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { BuildError, DownloadError } from '../core/errors.js';
import { statIfExists } from '../core/read-if-exists.js';

/**
 * Debian's packages for a guest: a kernel (its image and modules) and a static busybox, fetched
 * from Debian's archive (the mirror in IB_DEBIAN_MIRROR, else deb.debian.org), checked against
 * the archive's index and unpacked with dpkg -x. Nothing is installed on this machine.
 */
export const DEBIAN_MIRROR = process.env.IB_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
const FETCH_TIMEOUT_MS = 300_000;

export interface PackageEntry {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
  readonly sha256: string;
  readonly depends: readonly string[];
}

/** The stanzas of a Packages index, by package name (the last stanza of a name wins). */
export function parsePackagesIndex(text: string): Map<string, PackageEntry> {
  const out = new Map<string, PackageEntry>();
  for (const stanza of text.split(/\n\n+/)) {
    const field = (name: string): string | undefined => new RegExp(`^${name}: (.*)$`, 'm').exec(stanza)?.[1]?.trim();
    const name = field('Package');
    const filename = field('Filename');
    if (!name || !filename) continue;
    const depends = [field('Pre-Depends'), field('Depends')]
      .filter((d): d is string => d !== undefined)
      .flatMap((d) => d.split(','))
      .map((alt) => alt.split('|').map((a) => a.trim().split(/\s/)[0]!));
    out.set(name, {
      name,
      version: field('Version') ?? '',
      filename,
      sha256: field('SHA256') ?? '',
      depends: depends.flat(),
    });
  }
  return out;
}

async function fetchBytes(url: string): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (error) {
    throw new DownloadError(
      `cannot fetch ${url}: ${(error as Error).message}`,
      "guests are made from Debian's packages: this machine needs to reach the archive (or set IB_DEBIAN_MIRROR)",
    );
  }
  if (!res.ok)
    throw new DownloadError(`cannot fetch ${url}: HTTP ${res.status}`, 'check the suite name and the mirror');
  return Buffer.from(await res.arrayBuffer());
}

/** The suite's amd64 Packages index, kept for a day under DIR. */
export async function packagesIndex(suite: string, dir: string): Promise<Map<string, PackageEntry>> {
  const file = path.join(dir, `Packages-${suite}`);
  const info = await statIfExists(file);
  if (!info || Date.now() - info.mtimeMs > 86_400_000) {
    const xz = await fetchBytes(`${DEBIAN_MIRROR}/dists/${suite}/main/binary-amd64/Packages.xz`);
    const text = await execa('xz', ['-dc'], { input: xz, encoding: 'utf8', maxBuffer: 1024 ** 3 });
    await mkdir(dir, { recursive: true });
    await writeFile(`${file}.part`, text.stdout);
    await rename(`${file}.part`, file);
  }
  return parsePackagesIndex(await readFile(file, 'utf8'));
}

/** Download one package (checked against the index's SHA-256) and unpack it into DEST. */
export async function unpackPackage(entry: PackageEntry, dest: string): Promise<void> {
  const bytes = await fetchBytes(`${DEBIAN_MIRROR}/${entry.filename}`);
  const sum = createHash('sha256').update(bytes).digest('hex');
  if (entry.sha256 && sum !== entry.sha256)
    throw new DownloadError(
      `${entry.filename}: SHA-256 ${sum} is not the archive index's ${entry.sha256}`,
      'a mirror or proxy changed the file: try again, or another IB_DEBIAN_MIRROR',
      'E_CHECKSUM',
    );
  await mkdir(dest, { recursive: true });
  const deb = path.join(dest, '..', `${entry.name}.deb`);
  await writeFile(deb, bytes);
  try {
    await execa('dpkg', ['-x', deb, dest]);
  } finally {
    await rm(deb, { force: true });
  }
}

export interface GuestKernel {
  /** The kernel's release (uname -r in the guest). */
  readonly release: string;
  /** The packages it came from, name=version. */
  readonly packages: readonly string[];
  readonly vmlinuz: string;
  /** The modules tree (lib/modules/RELEASE). */
  readonly modules: string;
}

/**
 * The suite's cloud kernel (a small kernel for virtual machines) unpacked under DIR/kernels:
 * bookworm's linux-image package holds the kernel and its modules; newer suites split them
 * into linux-binary and linux-modules, followed through the metapackage's dependencies.
 */
export async function guestKernel(
  suite: string,
  index: ReadonlyMap<string, PackageEntry>,
  dir: string,
): Promise<GuestKernel> {
  const meta = index.get('linux-image-cloud-amd64');
  if (!meta)
    throw new BuildError(
      `Debian ${suite} has no linux-image-cloud-amd64`,
      'use a suite with a cloud kernel: bookworm (Linux 6.1), trixie (6.12), sid (newest)',
    );
  const wanted: PackageEntry[] = [];
  const visit = (name: string): void => {
    const entry = index.get(name);
    if (!entry || wanted.some((w) => w.name === name)) return;
    wanted.push(entry);
    for (const d of entry.depends) if (/^linux-(image|binary|modules)-\d/.test(d)) visit(d);
  };
  visit(meta.name);
  const key = wanted.map((w) => `${w.name}=${w.version}`).join(' ');
  const target = path.join(dir, 'kernels', createHash('sha256').update(key).digest('hex').slice(0, 12));
  if (!(await statIfExists(path.join(target, 'done')))) {
    await rm(target, { recursive: true, force: true });
    for (const entry of wanted.filter((w) => w.name !== meta.name))
      await unpackPackage(entry, path.join(target, 'root'));
    await writeFile(path.join(target, 'done'), `${key}\n`);
  }
  const root = path.join(target, 'root');
  for (const modulesBase of [path.join(root, 'usr', 'lib', 'modules'), path.join(root, 'lib', 'modules')]) {
    const releases = (await statIfExists(modulesBase)) ? await readdir(modulesBase) : [];
    for (const release of releases) {
      const modules = path.join(modulesBase, release);
      const candidates = [path.join(modules, 'vmlinuz'), path.join(root, 'boot', `vmlinuz-${release}`)];
      for (const vmlinuz of candidates)
        if (await statIfExists(vmlinuz))
          return { release, packages: wanted.map((w) => `${w.name}=${w.version}`), vmlinuz, modules };
    }
  }
  throw new BuildError(
    `the kernel packages of Debian ${suite} (${key}) hold no vmlinuz`,
    'report this as a bug of instanton-bench hosts vm create',
  );
}

/** A static busybox from the suite (the guest's own tools: mount, insmod, wget, poweroff). */
export async function guestBusybox(
  suite: string,
  index: ReadonlyMap<string, PackageEntry>,
  dir: string,
): Promise<string> {
  const entry = index.get('busybox-static');
  if (!entry) throw new BuildError(`Debian ${suite} has no busybox-static`, 'use bookworm, trixie or sid');
  const target = path.join(dir, 'busybox', entry.version.replace(/[^A-Za-z0-9.+~-]/g, '_'));
  const candidates = ['usr/bin/busybox', 'bin/busybox'].map((b) => path.join(target, 'root', b));
  const found = async (): Promise<string | undefined> => {
    for (const c of candidates) if (await statIfExists(c)) return c;
    return undefined;
  };
  if ((await found()) === undefined) {
    await rm(target, { recursive: true, force: true });
    await unpackPackage(entry, path.join(target, 'root'));
  }
  const bin = await found();
  if (!bin) throw new BuildError(`${entry.filename} holds no busybox`, 'report this as a bug of hosts vm create');
  return bin;
}
