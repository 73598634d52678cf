import type { Command } from 'commander';
import { type CommandContext, helpFooter } from '../command-context.js';

import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { CliIo } from '../../core/io.js';
import { checkOutputFile } from '../../core/output-paths.js';
import { mergeShards } from '../../results/merge.js';
import { readResults } from '../../results/read.js';
import { writeResults } from '../../export/json.js';
import { hostDifferences } from '../../stats/hosts.js';

export interface MergeOptions {
  readonly out?: string;
}

/** `merge`: the shards of one plan into one results file that report, compare, plan and diagnose read. */
export async function mergeCommand(files: readonly string[], opts: MergeOptions, io: CliIo): Promise<number> {
  if (!opts.out)
    throw new UsageError('merge: --out is required', 'name the merged results file, e.g. --out results/merged.json');
  if (files.length === 0)
    throw new UsageError('merge: no shard files given', 'pass the files of run --shard K/N of one plan');
  const out = path.resolve(io.cwd, opts.out);
  if (files.some((f) => path.resolve(io.cwd, f) === out))
    throw new UsageError(`merge: --out ${opts.out} is one of the shards`, 'write the merged file under another name');
  await checkOutputFile('--out', out);
  const shards = [];
  for (const file of files) shards.push({ file, results: await readResults(path.resolve(io.cwd, file)) });
  const { merged, missingRounds, duplicatedRounds, hosts } = mergeShards(shards);
  merged.warnings.push(...hostDifferences(merged));
  await writeResults(out, merged);
  const shard = shards[0]?.results.config.shard;
  const measured = merged.runs.filter((r) => !r.warmup);
  io.err(
    `merge: ${files.length} shard file(s) of plan ${shard?.planId} (${shard?.count} shards, ${shard?.rounds} rounds) ` +
      `from ${hosts.length} host(s): ${hosts.join(', ')}`,
  );
  io.err(
    `merge: ${measured.length} measured starts (${measured.filter((r) => r.status === 'ok').length} ok), ` +
      `${new Set(measured.map((r) => r.iteration)).size} rounds`,
  );
  for (const h of merged.environment.hosts ?? [])
    io.err(
      `merge: shard ${h.shard} on ${h.name}: host speed ${h.hostSpeed ? `index ${h.hostSpeed.index}` : 'not recorded'}`,
    );
  const speed = merged.warnings.find((w) => w.startsWith('host speed differs'));
  if (speed) io.err(`merge: WARNING: ${speed}`);
  if (missingRounds.length > 0)
    io.err(
      `merge: WARNING: rounds missing: ${missingRounds.join(', ')} (run or resume their shards, then merge again)`,
    );
  for (const d of duplicatedRounds)
    io.err(`merge: WARNING: round ${d.round} is in ${d.files.join(' and ')}: the first file's starts are kept`);
  for (const w of hostDifferences(merged)) io.err(`merge: WARNING: ${w}`);
  io.out(`merged: ${out}`);
  return 0;
}

/** `merge`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(['merge shard-1.json shard-2.json shard-3.json --out results/merged.json'], undefined);

export function define(command: Command, { io, setCode }: CommandContext): void {
  command
    .addHelpText('after', HELP)
    .argument('<shards...>', "the shards' results JSON files")
    .option('--out <file>', 'the merged results file (required)')
    .action(async (files: string[], opts: { out?: string }) => setCode(await mergeCommand(files, opts, io)));
}
