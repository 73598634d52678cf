import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { BuildError } from '../core/errors.js';
import { buildLogDir, KEEP_LOGS, pruneOldest } from '../core/kept-logs.js';
import type { BuildReporter } from './progress.js';
import { makeDirs } from '../core/output-paths.js';

export const TAIL_LINES_ON_FAILURE = 25;

/**
 * Run a build child (argv, never a shell string), stream its output to the reporter,
 * and on failure raise a BuildError carrying the last lines of its output.
 */
export async function runLogged(
  file: string,
  args: readonly string[],
  options: {
    cwd?: string;
    timeoutMs: number;
    reporter: BuildReporter;
    what: string;
    remedy: string;
    env?: Record<string, string>;
    errorLines?: RegExp;
  },
): Promise<void> {
  const tail: string[] = [];
  const errors: string[] = [];
  // The whole output is kept in a file, so a failure's lines can be read in full.
  const logDir = buildLogDir();
  await makeDirs(logDir);
  await pruneOldest(logDir, KEEP_LOGS - 1);
  const logFile = path.join(
    logDir,
    `${path.basename(file)}-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.log`,
  );
  const log = createWriteStream(logFile);
  const child = execa(file, args, {
    cwd: options.cwd,
    timeout: options.timeoutMs,
    reject: false,
    buffer: false,
    all: true,
    stdin: 'ignore',
    ...(options.env ? { env: options.env } : {}),
  });
  for await (const line of child.iterable({ from: 'all' })) {
    const text = String(line);
    log.write(`${text}\n`);
    tail.push(text);
    if (tail.length > TAIL_LINES_ON_FAILURE) tail.shift();
    if (options.errorLines?.test(text) && errors.length < TAIL_LINES_ON_FAILURE) errors.push(text);
    options.reporter.detail(text);
  }
  const result = await child;
  await new Promise<void>((resolve) => log.end(() => resolve()));
  if (result.exitCode !== 0 || result.timedOut) {
    const why = result.timedOut ? `timed out after ${options.timeoutMs} ms` : `exit code ${result.exitCode}`;
    const shown = errors.length > 0 ? errors : tail;
    throw new BuildError(
      `${options.what} failed ` +
        `(${why})${errors.length > 0 ? ', its error lines' : ''}:\n${shown.map((l) => `  | ${l}`).join('\n')}\nfull ` +
        `log: ${logFile}`,
      `${options.remedy}; rerun with --verbose to see every line as it comes`,
    );
  }
}
