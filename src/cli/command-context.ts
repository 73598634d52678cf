import { Option, type Command } from 'commander';
import type { CliIo } from '../core/io.js';
import type { RunWorld } from '../run/world.js';

/**
 * What a command's module gets besides its commander Command (already named and described by main.ts's index): the
 * io, the world (unit tests inject a fake one) and where the exit code goes.
 */
export interface CommandContext {
  readonly io: CliIo;
  readonly world: RunWorld | undefined;
  readonly setCode: (code: number) => void;
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The end of a command's --help: examples and what its exit codes mean (docs/cli.md, "Exit codes"). */
export function helpFooter(examples: readonly string[], one: string | undefined): string {
  return [
    '',
    'Examples:',
    ...examples.map((e) => `  $ instanton-bench ${e}`),
    '',
    'Exit codes:',
    '  0    done',
    ...(one ? [`  1    ${one}`] : []),
    '  2    bad input: one line naming the file or option, the field and the fix',
    '  3    this machine cannot do it (a missing tool, a failed build, a full disk, another run measuring), or a fault in the tool',
    '  130  interrupted (SIGINT); 143 stopped (SIGTERM): nothing finished is lost',
  ].join('\n');
}

/** --json [FILE|-], the same for every command that writes figures. */
export const jsonOption = (what: string): Option =>
  new Option(
    '--json [file]',
    `write ${what} as JSON to FILE; --json alone or --json - prints it to stdout (the text then goes to stderr)`,
  );

/** --profile, the same for build and run. */
export const profileOption = (): Option =>
  new Option(
    '--profile <profile>',
    "local: the tool's images on its own base; semeru: the scenario built as Open Liberty's docs build it, on the " +
      'official OpenJ9 InstantOn image (pulled from icr.io)',
  )
    .choices(['local', 'semeru'])
    .default('local');

/** A command's module: it declares the command's options, their defaults, its help's examples and exit codes, and does its work. */
export interface CommandModule {
  readonly define: (command: Command, context: CommandContext) => void;
}
