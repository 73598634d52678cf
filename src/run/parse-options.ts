import { type Profile, CRIU_SUITES } from '../results/config-types.js';
import { UsageError } from '../core/errors.js';
import { DEFAULT_CHECKPOINT_FLOW } from '../images/checkpoint/checkpoint-flow.js';
import { type CriuSuite } from '../results/types.js';
import type { ImageBase } from '../scenario/types.js';

/** The run options that are one value each: checked, with the fix in the message (exit 2). */
export function parseHygiene(text: string | undefined): 'report' | 'fail' {
  if (text === undefined || text === 'report' || text === 'fail') return text ?? 'report';
  throw new UsageError(
    `--hygiene ${text}: unknown mode`,
    'pass --hygiene report (say what each checkpoint carries) or --hygiene fail (any finding exits 1)',
  );
}

export function parseIntegerOption(
  flag: string,
  text: string | undefined,
  fallback: number,
  lo: number,
  hi: number,
): number {
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text.trim()))
    throw new UsageError(`${flag} ${text}: expected a whole number`, `pass ${flag} N with ${lo} <= N <= ${hi}`);
  const n = Number(text);
  if (n < lo || n > hi)
    throw new UsageError(`${flag} ${text}: must be between ${lo} and ${hi}`, `pass ${flag} N with ${lo} <= N <= ${hi}`);
  return n;
}

export function parseBaseCriu(text: string | undefined): CriuSuite | undefined {
  if (text === undefined) return undefined;
  if ((CRIU_SUITES as readonly string[]).includes(text)) return text as CriuSuite;
  throw new UsageError(
    `--base-criu ${text}: unknown Debian release`,
    `use --base-criu ${CRIU_SUITES.join(' or ')} (to reproduce those CRIU releases' failures on this kernel)`,
  );
}

export function parseCheckpointFlow(text: string | undefined): 'run' | 'build' {
  if (text === undefined || text === 'run' || text === 'build') return text ?? DEFAULT_CHECKPOINT_FLOW;
  throw new UsageError(
    `--checkpoint-flow ${text}: unknown flow`,
    'use --checkpoint-flow run (privileged run + commit) or build (RUN checkpoint.sh in podman build)',
  );
}

/**
 * local: the tool's images on its own base; semeru: the scenario built as Open Liberty's docs build it, on the official
 * InstantOn image (pulled from icr.io; a host that cannot reach it gets exit 3 within a minute).
 */
export function parseProfile(text: string | undefined): Profile {
  if (text === undefined || text === 'local' || text === 'semeru') return text ?? 'local';
  throw new UsageError(`unknown profile "${text}"`, 'use --profile local or --profile semeru');
}

/** --base: what an image scenario's Containerfile is built on (its FROM, or the local InstantOn base). */
export function parseImageBase(text: string | undefined): ImageBase | undefined {
  if (text === undefined || text === 'local' || text === 'official') return text;
  throw new UsageError(
    `--base ${text}: unknown base`,
    'use --base local (the local InstantOn base instead of the FROM image) or --base official (the FROM line as ' +
      'written)',
  );
}
