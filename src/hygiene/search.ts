import { open } from 'node:fs/promises';

/** A value searched for, by the name a finding may print (never the value), in the encodings a JVM holds it in. */
export interface Needle {
  readonly name: string;
  readonly value: string;
}

export interface Hit {
  readonly name: string;
  readonly file: string;
  /** utf-8: C strings, environ, Latin-1 Java strings; utf-16le: Java strings with other characters. */
  readonly encoding: 'utf-8' | 'utf-16le';
}

const CHUNK_BYTES = 16 * 1024 * 1024;

/** Each needle's byte patterns: UTF-8, and UTF-16LE (a Java String holding a character beyond Latin-1 is stored so). */
function patterns(needles: readonly Needle[]): Array<{ name: string; encoding: Hit['encoding']; bytes: Buffer }> {
  return needles.flatMap((n) => [
    { name: n.name, encoding: 'utf-8' as const, bytes: Buffer.from(n.value, 'utf8') },
    { name: n.name, encoding: 'utf-16le' as const, bytes: Buffer.from(n.value, 'utf16le') },
  ]);
}

/**
 * Which needles occur in which files: read in 16 MiB chunks that overlap by the longest pattern, so a value across
 * a chunk boundary is found; a needle already found in a file is not searched for again there.
 */
export async function searchFiles(
  files: readonly string[],
  needles: readonly Needle[],
): Promise<{ hits: Hit[]; bytes: number }> {
  const all = patterns(needles).filter((p) => p.bytes.length > 0);
  const overlap = Math.max(0, ...all.map((p) => p.bytes.length - 1));
  const hits: Hit[] = [];
  let bytes = 0;
  const buffer = Buffer.alloc(CHUNK_BYTES + overlap);
  for (const file of files) {
    const handle = await open(file, 'r').catch(() => undefined);
    if (!handle) continue;
    try {
      const left = new Set(all.map((_, i) => i));
      let carried = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, carried, CHUNK_BYTES, null);
        if (bytesRead === 0) break;
        bytes += bytesRead;
        const view = buffer.subarray(0, carried + bytesRead);
        for (const i of [...left]) {
          const p = all[i] as (typeof all)[number];
          if (view.indexOf(p.bytes) >= 0) {
            left.delete(i);
            if (!hits.some((h) => h.name === p.name && h.file === file && h.encoding === p.encoding))
              hits.push({ name: p.name, file, encoding: p.encoding });
          }
        }
        if (left.size === 0) break;
        carried = Math.min(overlap, view.length);
        view.copy(buffer, 0, view.length - carried);
      }
    } finally {
      await handle.close();
    }
  }
  return { hits, bytes };
}
