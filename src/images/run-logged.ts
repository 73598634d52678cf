import { execa } from 'execa';
import { BuildError } from '../core/errors.js';
import type { BuildReporter } from './progress.js';

export const TAIL_LINES_ON_FAILURE = 25;

/**
 * Run a build child (argv, never a shell string), stream its output to the reporter,
 * and on failure raise a BuildError carrying the last lines of its output.
 */
export async function runLogged(
  file: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs: number; reporter: BuildReporter; what: string; remedy: string; env?: Record<string, string> },
): Promise<void> {
  const tail: string[] = [];
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
    tail.push(text);
    if (tail.length > TAIL_LINES_ON_FAILURE) tail.shift();
    options.reporter.detail(text);
  }
  const result = await child;
  if (result.exitCode !== 0 || result.timedOut) {
    const why = result.timedOut ? `timed out after ${options.timeoutMs} ms` : `exit code ${result.exitCode}`;
    throw new BuildError(`${options.what} failed (${why}):\n${tail.map((l) => `  | ${l}`).join('\n')}`, options.remedy);
  }
}
