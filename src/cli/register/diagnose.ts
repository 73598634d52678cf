import type { CommandContext } from './context.js';
import { helpFooter, jsonOption } from './context.js';

/** `diagnose`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(
  [
    'diagnose results/blog.json',
    'diagnose results/blog.json --json - | jq .cases',
    'diagnose /tmp/instanton-bench-checkpoint-failures/pingperf-afterAppStart-…',
  ],
  'something to explain (a failed or fallback start, or the logs given)',
);

export function registerDiagnose(ctx: CommandContext): void {
  const { io, setCode } = ctx;
  const command = (name: string, description: string) => ctx.command(name, description, HELP);
  command(
    'diagnose',
    'explain every failed or fallback start (or the logs in a directory): the matched failure signature, its ' +
      'evidence lines, the cause and the remedy; exit 0 when nothing needs explaining',
  )
    .argument('<results-or-logdir>', 'a results JSON, or a directory with restore.log / checkpoint.log / messages.log')
    .addOption(jsonOption('the cases (each finding with its signature id, cause, remedy and evidence)'))
    .action(async (target: string, opts: { json?: string | boolean }) =>
      setCode(await (await import('../commands/diagnose.js')).diagnoseCommand(target, io, opts)),
    );
}
