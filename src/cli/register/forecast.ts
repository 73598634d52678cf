import type { CommandContext } from './context.js';
import { collect, helpFooter, jsonOption } from './context.js';

/** `forecast`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(
  [
    'forecast --image localhost/instanton-bench/pingperf-instanton-afterappstart:TAG --hosts profiles/',
    'forecast --image IMAGE --hosts oldcpu --json -',
  ],
  'a checkpoint fails on some host',
);

export function registerForecast(ctx: CommandContext): void {
  const { io, setCode } = ctx;
  const command = (name: string, description: string) => ctx.command(name, description, HELP);
  command(
    'forecast',
    "will each checkpoint restore on each host? Reads the checkpoint's record of its host (CPU flags, kernel, " +
      'CRIU, capabilities) and each host profile; per pair: restores, at risk or fails, with the reason and the remedy',
  )
    .option('--image <image>', 'a checkpoint image (repeatable)', collect)
    .option('--hosts <target>', 'a host profile, a directory of them, or a guest name (repeatable)', collect)
    .option(
      '--cpu-cap <mode>',
      "the --cpu-cap the restore gives CRIU: none (Open Liberty's server script), fpu, ins or cpu (CRIU then refuses " +
        'CPUs its checks do not pass)',
      'none',
    )
    .addOption(jsonOption('every forecast with its findings'))
    .action(async (opts: { image?: string[]; hosts?: string[]; cpuCap: string; json?: string | boolean }) => {
      const { forecastCommand } = await import('../commands/forecast.js');
      const { makePodman } = await import('../../engine/make-podman.js');
      setCode(await forecastCommand(opts, io, () => makePodman()));
    });
}
