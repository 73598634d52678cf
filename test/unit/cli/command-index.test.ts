import { Command, Help } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/main.js';
import { nodeIo } from '../../../src/core/io.js';

/**
 * main.ts lists the commands without loading them (--help loads main.ts alone): its index must say of each command
 * what the command's own module declares, or the top-level --help would lie about it.
 */
describe('the command index in main.ts', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))(
    "%s: the term --help lists is the one the command's module makes (name, [options], arguments)",
    async (_name, entry) => {
      const command = new Command('instanton-bench').command(entry.name).description(entry.description);
      (await entry.load()).define(command, { io: nodeIo(), world: undefined, setCode: () => undefined });
      expect(new Help().subcommandTerm(command)).toBe(entry.term);
    },
  );

  it('names every command once', () => {
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
  });
});
