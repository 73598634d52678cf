import path from 'node:path';
import type { CliIo } from '../../src/core/io.js';

/** A CLI io that keeps every line, with the registry and cache in a test's own directory. */
export function capture(dir: string): CliIo & { lines: string[]; stdout: string[]; text(): string } {
  const lines: string[] = [];
  const stdout: string[] = [];
  return {
    out: (t) => {
      lines.push(...t.split('\n'));
      stdout.push(...t.split('\n'));
    },
    err: (t) => lines.push(...t.split('\n')),
    cwd: process.cwd(),
    env: { IB_RUN_DIR: path.join(dir, 'registry'), IB_CACHE_DIR: path.join(dir, 'cache') },
    interactive: false,
    lines,
    stdout,
    text: () => lines.join('\n'),
  };
}

/**
 * A CLI io for end-to-end tests: this machine's own environment (image cache, registry) and the repository as the
 * working directory; every line kept, and echoed to stderr so a long run shows its progress.
 */
export function captureReal(): CliIo & { text(): string } {
  const lines: string[] = [];
  const put = (t: string): void => {
    lines.push(t);
    process.stderr.write(`${t}\n`);
  };
  return { out: put, err: put, cwd: process.cwd(), env: process.env, interactive: false, text: () => lines.join('\n') };
}

/** The process's own stdout and stderr, this machine's environment and the repository as the working directory. */
export function passThrough(): CliIo {
  return {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    cwd: process.cwd(),
    env: process.env,
    interactive: false,
  };
}
