import type { CliIo } from '../../core/io.js';
import type { RunInput } from '../../run/run-input.js';
import { executeRun } from '../../run/execute.js';
import type { RunWorld } from '../../run/world.js';

/** `run`: the parsed options and the world, wired to the run stage. */
export async function runCommand(
  input: RunInput,
  io: CliIo,
  world: RunWorld,
  given: readonly string[] = Object.keys(input),
): Promise<number> {
  return executeRun(input, given, io, world);
}
