import { readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Where the tool keeps the logs of builds and failed checkpoints (under the temporary
 * directory), and how many of each it keeps: the newest KEEP_LOGS entries, the rest removed
 * when a new one is written, so the directories do not grow forever.
 */
export const KEEP_LOGS = 20;

export function buildLogDir(): string {
  return path.join(os.tmpdir(), 'instanton-bench-build-logs');
}

export function checkpointFailureDir(): string {
  return path.join(os.tmpdir(), 'instanton-bench-checkpoint-failures');
}

/** Remove all but the newest `keep` entries of a directory (by modification time); never throws. */
export async function pruneOldest(dir: string, keep = KEEP_LOGS): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const dated = await Promise.all(
    names.map(async (n) => ({ n, t: (await stat(path.join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })),
  );
  const old = dated.sort((a, b) => b.t - a.t).slice(keep);
  for (const { n } of old) await rm(path.join(dir, n), { recursive: true, force: true }).catch(() => undefined);
  return old.length;
}

/** Bytes a directory tree takes (0 when absent). */
export async function treeBytes(dir: string): Promise<number> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const n of await readdir(dir).catch(() => [] as string[])) total += await treeBytes(path.join(dir, n));
  return total;
}
