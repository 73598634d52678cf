import type { CommandContext } from './context.js';
import { helpFooter } from './context.js';

/** `merge`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(['merge shard-1.json shard-2.json shard-3.json --out results/merged.json'], undefined);

export function registerMerge(ctx: CommandContext): void {
  const { io, setCode } = ctx;
  const command = (name: string, description: string) => ctx.command(name, description, HELP);
  command(
    'merge',
    'merge the files of run --shard K/N of one plan (from many hosts) into one results file: refuses shards of ' +
      'another plan or other images (exit 2, naming the field), reports missing and duplicated rounds and hosts ' +
      'that differ; report, compare, plan and diagnose read the merged file',
  )
    .argument('<shards...>', "the shards' results JSON files")
    .option('--out <file>', 'the merged results file (required)')
    .action(async (files: string[], opts: { out?: string }) =>
      setCode(await (await import('../commands/merge.js')).mergeCommand(files, opts, io)),
    );
}
