import type { CommandContext } from './context.js';
import { helpFooter } from './context.js';

/** `doctor`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(['doctor', 'doctor --clean'], undefined);

export function registerDoctor(ctx: CommandContext): void {
  const { io, setCode } = ctx;
  const command = (name: string, description: string) => ctx.command(name, description, HELP);
  command(
    'doctor',
    'check every prerequisite of a run (tools, limits, kernel, CPUs, disk, CRIU in the base image) with a fix for ' +
      'each problem, and print the host speed index (100 = the calibration host; higher is faster)',
  )
    .option(
      '--clean',
      'remove containers an earlier (crashed) run left behind, found by their io.instanton-bench label',
    )
    .action(async (opts: { clean?: boolean }) =>
      setCode(await (await import('../commands/doctor.js')).doctorCommand(io, opts)),
    );
}
