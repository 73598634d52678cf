import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Probe results by image ID and kind (see Engine.cachedProbe): in memory for this process and,
 * with a directory, as one small JSON file each, so a later run with the same images starts no
 * probe container. A probe that answers undefined is not kept. `scope` (the engine's version) is part of every key: another engine may
 * grant other capabilities to the same image.
 */
export class ProbeCache {
  private readonly memory = new Map<string, unknown>();

  constructor(private readonly dir?: string) {}

  async get<T>(scope: string, imageId: string, kind: string, probe: () => Promise<T>): Promise<T> {
    const key = `${kind}-${scope}-${imageId.replace(/^sha256:/, '')}`.replace(/[^A-Za-z0-9._-]/g, '_');
    if (this.memory.has(key)) return this.memory.get(key) as T;
    const file = this.dir === undefined ? undefined : path.join(this.dir, `${key}.json`);
    if (file) {
      const stored = await readFile(file, 'utf8').then(
        (t) => JSON.parse(t) as { value: T },
        () => undefined,
      );
      if (stored && 'value' in stored) {
        this.memory.set(key, stored.value);
        return stored.value;
      }
    }
    const value = await probe();
    // undefined: the probe found nothing worth keeping (its container failed); it runs again next time.
    if (value === undefined) return value;
    this.memory.set(key, value);
    if (file && this.dir) {
      // Written whole then renamed: a reader never sees half a file. A cache that cannot be written is only slower.
      const tmp = `${file}.${process.pid}.tmp`;
      await mkdir(this.dir, { mode: 0o755 })
        .catch(() => undefined)
        .then(() => writeFile(tmp, JSON.stringify({ value })))
        .then(() => rename(tmp, file))
        .catch(() => undefined);
    }
    return value;
  }
}
