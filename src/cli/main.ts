import { Command, CommanderError } from 'commander';
import { TOOL_VERSION } from '../core/tool-version.js';
import { BenchError, EXIT_ENVIRONMENT, EXIT_USAGE, formatError } from '../core/errors.js';
import type { CliIo } from '../core/io.js';
import type { RunWorld } from '../run/world.js';
import type { CommandContext } from './register/context.js';
import { registerBuild } from './register/build.js';
import { registerCompare } from './register/compare.js';
import { registerDiagnose } from './register/diagnose.js';
import { registerDoctor } from './register/doctor.js';
import { registerFleet } from './register/fleet.js';
import { registerForecast } from './register/forecast.js';
import { registerHistory } from './register/history.js';
import { registerHosts } from './register/hosts.js';
import { registerImages } from './register/images.js';
import { registerMerge } from './register/merge.js';
import { registerPlan } from './register/plan.js';
import { registerReport } from './register/report.js';
import { registerRun } from './register/run.js';

/** The commands in the order --help lists them; each module declares its options (src/cli/register/). */
const COMMANDS = [
  registerDoctor,
  registerBuild,
  registerRun,
  registerReport,
  registerCompare,
  registerFleet,
  registerImages,
  registerHosts,
  registerForecast,
  registerMerge,
  registerPlan,
  registerDiagnose,
  registerHistory,
] as const;

function program(io: CliIo, world: RunWorld | undefined, setCode: (code: number) => void): Command {
  const root = new Command('instanton-bench')
    .description(
      'Measure how fast Open Liberty starts, cold and restored from an InstantOn checkpoint, in pinned podman ' +
        'containers.',
    )
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run instanton-bench --help for the usage)');
  const context: CommandContext = {
    command: (name, description, help) => root.command(name).addHelpText('after', help).description(description),
    io,
    world,
    setCode,
  };
  for (const register of COMMANDS) register(context);
  return root;
}

/**
 * The CLI as a function of argv and the world; returns the exit code (house rule 11). The world (container engine,
 * image builds, host) defaults to this machine's; unit tests pass a fake engine.
 * Parse argv and run one command. Each command's code is loaded when it runs, so `--version` and `--help` load only
 * this file and the constants their texts read. `world` defaults to the real one (loaded with `run`).
 */
export async function runCli(argv: readonly string[], io: CliIo, world?: RunWorld): Promise<number> {
  let code = 0;
  const root = program(io, world, (c) => {
    code = c;
  });
  try {
    await root.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      return EXIT_USAGE;
    }
    if (error instanceof BenchError) {
      io.err(formatError(error));
      return error.exitCode;
    }
    // A file system error that no command turned into its own (a full disk, a read-only directory): one line, no stack.
    const fsError = error as NodeJS.ErrnoException;
    if (typeof fsError?.code === 'string' && typeof fsError.path === 'string' && /^E[A-Z]+$/.test(fsError.code)) {
      io.err(formatError(await (await import('../results/write.js')).writeFailure(fsError.path, 0, fsError)));
      return EXIT_ENVIRONMENT;
    }
    // A bug, not the user's input: one line; the stack only when asked for (no stack trace reaches a user).
    const message = error instanceof Error ? error.message : String(error);
    io.err(
      `internal error: ${message.split('\n')[0]} (a fault in instanton-bench, not in your input: rerun with ` +
        `IB_DEBUG=1 for the stack and report it; the results file keeps every finished start)`,
    );
    if (io.env['IB_DEBUG']) io.err(String((error as Error)?.stack ?? ''));
    return EXIT_ENVIRONMENT;
  }
}
