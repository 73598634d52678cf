import type { Dirent, Stats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';

/**
 * File reads where "cannot read" is an answer, not an error: a path that does not exist (an
 * optional file, a scenario directory to check), or a /proc entry of a process that has
 * just exited. Every caller treats undefined (or an empty list) as "absent"; errors that
 * matter (a results file, a scenario file) are read with readFile and reported.
 */
export async function statIfExists(p: string): Promise<Stats | undefined> {
  try {
    return await stat(p);
  } catch {
    return undefined;
  }
}

export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

export async function listIfExists(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

export async function listEntriesIfExists(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
