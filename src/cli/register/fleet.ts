import type { CommandContext } from './context.js';
import { helpFooter } from './context.js';
import type { FleetOptions } from '../commands/fleet.js';

/** `fleet`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(
  [
    'fleet slurm --shards 4 --dir /shared/gate-42 -- --suite blog --arm main --arm pr:app=../pr/app --runs 24 --seed 42',
    'fleet k8s --shards 4 --dir /shared/gate-42 --image registry.example/instanton-bench:1 -- --suite blog --runs 24',
  ],
  undefined,
);

export function registerFleet(ctx: CommandContext): void {
  const { io, setCode } = ctx;
  const command = (name: string, description: string) => ctx.command(name, description, HELP);
  const fleet = command(
    'fleet',
    'run the shards of one plan on many hosts through an existing scheduler: writes the job files, you submit them',
  );
  fleet
    .command('slurm')
    .description(
      'a Slurm job array: one run --shard K/N per task, each on a node of its own (--exclusive), then merge (and ' +
        'compare, for A/B runs) as a job that depends on the array; writes DIR/shards.sbatch, merge.sbatch, submit.sh',
    )
    .argument('<run-options...>', 'the run options, after --, the same for every shard (not --shard, --out, --resume)')
    .option('--shards <n>', 'number of shards (hosts)')
    .option('--dir <dir>', 'a directory every node sees: the job files, shard-K.json, merged.json, logs')
    .option('--bin <path>', 'the instanton-bench every node runs (default: this one)')
    .option('--partition <name>', 'Slurm partition')
    .option('--time <limit>', 'Slurm time limit per job, e.g. 02:00:00')
    .action(async (runArgs: string[], opts: FleetOptions) =>
      setCode(await (await import('../commands/fleet.js')).fleetSlurmCommand(opts, runArgs, io)),
    );
  fleet
    .command('k8s')
    .description(
      'a Kubernetes Indexed Job: completion index K-1 runs shard K of N on a node of its own; writes ' +
        'DIR/shards-job.yaml (checked against the Job schema) for clusters whose nodes can run the harness',
    )
    .argument('<run-options...>', 'the run options, after --, the same for every shard (not --shard, --out, --resume)')
    .option('--shards <n>', 'number of shards (pods)')
    .option('--dir <dir>', 'where the job file is written; in the pods, shard files go to /results (a volume)')
    .option('--image <ref>', 'an image with instanton-bench, podman and this checkout')
    .option('--bin <path>', 'instanton-bench inside the image (default /app/node_modules/.bin/instanton-bench)')
    .option('--pvc <name>', 'the PersistentVolumeClaim mounted at /results (default instanton-bench-results)')
    .action(async (runArgs: string[], opts: FleetOptions & { image?: string; pvc?: string }) =>
      setCode(await (await import('../commands/fleet.js')).fleetK8sCommand(opts, runArgs, io)),
    );
}
