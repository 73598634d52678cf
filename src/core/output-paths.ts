import { statIfExists } from './read-if-exists.js';
import { constants } from 'node:fs';
import { access, mkdir, open, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, WriteError } from './errors.js';
import type { CliIo } from './io.js';

const reason = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/**
 * mkdir -p one directory at a time. Node's recursive mkdir never returns under /proc (each level answers ENOENT and
 * it tries again): a user's output path there must fail at once, as everywhere else.
 */
export async function makeDirs(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = path.resolve(dir);
  let found = await statIfExists(at);
  while (!found) {
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
    found = await statIfExists(at);
  }
  if (found && !found.isDirectory())
    throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${at}'`), { code: 'ENOTDIR', path: at });
  for (const d of missing) {
    await mkdir(d).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

/**
 * Check, before any work, that an output file can be written: its directory exists or can be
 * made, the path is not a directory, and it is writable. Bad input is exit 2 up front, not a
 * stack trace after the measurements.
 */
export async function checkOutputFile(option: string, file: string): Promise<void> {
  const info = await statIfExists(file);
  if (info?.isDirectory())
    throw new UsageError(
      `${option} ${file}: is a directory`,
      `pass a file name, e.g. ${option} ${path.join(file, 'out.json')}`,
    );
  const dir = path.dirname(file);
  try {
    await makeDirs(dir);
    await access(info ? file : dir, constants.W_OK);
    // A directory can look writable and still refuse a new file (/proc, a read-only mount seen as root): create it and
    // take it away again, so the refusal comes now and not after the measurements.
    if (!info) await (await open(file, 'wx')).close().then(() => unlink(file));
  } catch (error) {
    throw new UsageError(
      `${option} ${file}: cannot write there (${reason(error)})`,
      `pass a path in a writable directory`,
      error,
    );
  }
}

/** Check that an output directory exists or can be made, and is writable. */
export async function checkOutputDir(option: string, dir: string): Promise<void> {
  const info = await statIfExists(dir);
  if (info && !info.isDirectory())
    throw new UsageError(`${option} ${dir}: is a file, not a directory`, `pass a directory, e.g. ${option} reports/`);
  try {
    await makeDirs(dir);
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new UsageError(`${option} ${dir}: cannot write there (${reason(error)})`, 'pass a writable directory', error);
  }
}

/** Errors of the machine, not of the path the user gave: a full disk, a quota, an I/O error (exit 3). */
const MACHINE_WRITE_ERRORS: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EIO']);

/**
 * Write an output file; a failure names the option, never a stack trace: a path that cannot be
 * written is the user's (exit 2), a full disk or an I/O error the machine's (exit 3).
 */
export async function writeOutput(option: string, file: string, text: string | Uint8Array): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (MACHINE_WRITE_ERRORS.has(code))
      throw new WriteError(
        `${option} ${file}: cannot write (${code}${code === 'EIO' ? '' : ': the disk is full'})`,
        `free space on the filesystem of ${path.dirname(file)}, then run the command again`,
        file,
        error,
      );
    throw new UsageError(
      `${option} ${file}: cannot write (${reason(error)})`,
      'pass a path in a writable directory',
      error,
    );
  }
}

/**
 * `--json [FILE|-]`, the same for every command that has it: bare `--json` or `-` is stdout (the human text then goes
 * to stderr, so stdout parses), a file name writes there (checked up front with checkJsonTarget).
 */
export type JsonOption = string | boolean | undefined;

export const jsonTarget = (value: JsonOption): string | undefined =>
  value === undefined || value === false ? undefined : value === true ? '-' : value;

export async function checkJsonTarget(value: JsonOption, cwd: string): Promise<void> {
  const target = jsonTarget(value);
  if (target !== undefined && target !== '-') await checkOutputFile('--json', path.resolve(cwd, target));
}

/** Where the human-readable text goes: stderr when the JSON takes stdout. */
export const textOut = (value: JsonOption, io: CliIo): ((text: string) => void) =>
  jsonTarget(value) === '-' ? io.err : io.out;

/** One machine-readable output: `-` prints it to stdout, a file name writes it there (relative to the cwd). */
export async function emitOutput(option: string, target: string, text: string, io: CliIo): Promise<void> {
  if (target === '-') io.out(text.trimEnd());
  else await writeOutput(option, path.resolve(io.cwd, target), text);
}

export async function emitJson(value: JsonOption, doc: unknown, io: CliIo): Promise<void> {
  const target = jsonTarget(value);
  if (target !== undefined) await emitOutput('--json', target, `${JSON.stringify(doc, null, 2)}\n`, io);
}
