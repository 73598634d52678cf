import { statIfExists } from '../core/read-if-exists.js';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import path from 'node:path';

export function hashText(...parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

export async function hashFile(file: string, algorithm = 'sha256'): Promise<string> {
  const h = createHash(algorithm);
  await new Promise<void>((resolve, reject) => {
    createReadStream(file)
      .on('data', (chunk) => h.update(chunk))
      .on('end', () => resolve())
      .on('error', reject);
  });
  return h.digest('hex');
}

/** What a project's hash leaves out: build output and tool directories. */
export const UNHASHED_DIRS: ReadonlySet<string> = new Set(['target', 'node_modules', '.git']);

/** Hash of a directory tree's relative paths and contents, skipping the named directories. */
export async function hashTree(dir: string, skip: ReadonlySet<string> = UNHASHED_DIRS): Promise<string> {
  const h = createHash('sha256');
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (skip.has(entry.name)) continue;
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) await walk(child);
      else if (entry.isSymbolicLink())
        h.update(child)
          .update('\0')
          .update('link')
          .update('\0')
          .update(await readlink(path.join(dir, child)))
          .update('\0');
      else if (entry.isFile()) {
        // The executable bits too: server.files keep modes, so a chmod changes the image.
        const exec = ((await stat(path.join(dir, child))).mode & 0o111) !== 0 ? 'x' : '';
        h.update(child)
          .update('\0')
          .update(exec)
          .update('\0')
          .update(await readFile(path.join(dir, child)))
          .update('\0');
      }
    }
  };
  await walk('');
  return h.digest('hex');
}

export async function exists(p: string): Promise<boolean> {
  return (await statIfExists(p)) !== undefined;
}

/** Short tag form of a content key. */
export function shortKey(key: string): string {
  return key.slice(0, 12);
}
