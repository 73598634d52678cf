import { rename, rm, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WriteError } from './errors.js';
import { makeDirs } from './output-paths.js';

/**
 * Write through a temporary file renamed over the old one: a failed write (a full disk) leaves
 * the last good file and no temporary file, and says what could not be written, where, and
 * how much space is left there.
 */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await makeDirs(path.dirname(file));
    await writeFile(tmp, text);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw await writeFailure(file, Buffer.byteLength(text), error as NodeJS.ErrnoException);
  }
}

export async function writeFailure(file: string, bytes: number, error: NodeJS.ErrnoException): Promise<WriteError> {
  const fs = await statfs(path.dirname(file)).catch(() => undefined);
  const free =
    fs && (error.code === 'ENOSPC' || bytes > 0)
      ? ` (${formatBytes(fs.bavail * fs.bsize)} free there${bytes > 0 ? `, ${formatBytes(bytes)} needed` : ''})`
      : '';
  const fix =
    error.code === 'ENOSPC' || error.code === 'EDQUOT'
      ? `free space on the filesystem of ${path.dirname(file)}`
      : error.code === 'EACCES' || error.code === 'EPERM' || error.code === 'EROFS'
        ? `make ${path.dirname(file)} writable, or pass another --out`
        : `check ${path.dirname(file)}`;
  const verb = bytes > 0 || error.syscall === undefined ? 'write' : error.syscall;
  return new WriteError(`cannot ${verb} ${file}: ${error.code ?? error.message}${free}`, fix, file, error);
}

function formatBytes(n: number): string {
  return n >= 1024 ** 2
    ? `${(n / 1024 ** 2).toFixed(1)} MiB`
    : n >= 1024
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${n} bytes`;
}
