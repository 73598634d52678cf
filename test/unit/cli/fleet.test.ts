import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { capture } from '../../support/capture-io.js';

const RUN = ['--', '--scenario', 'pingperf', '--arm', 'a', '--arm', 'b', '--runs', '4', '--seed', '9'];

describe('fleet: the shards as an existing scheduler runs them', () => {
  it('slurm: a job array of run --shard K/N with the same options, then a dependent merge and gate', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-fleet-'));
    const io = capture(dir);
    expect(await runCli(['fleet', 'slurm', '--shards', '2', '--dir', path.join(dir, 'gate'), ...RUN], io)).toBe(0);
    const shards = await readFile(path.join(dir, 'gate', 'shards.sbatch'), 'utf8');
    expect(shards).toMatch(/#SBATCH --array=1-2\n#SBATCH --exclusive/);
    expect(shards).toMatch(
      /run --scenario pingperf --arm a --arm b --runs 4 --seed 9 --shard "\$\{SLURM_ARRAY_TASK_ID\}\/2" --out "\$out"/,
    );
    expect(await readFile(path.join(dir, 'gate', 'merge.sbatch'), 'utf8')).toMatch(
      /merge .*shard-\*\.json --out .*merged\.json[\s\S]*compare /,
    );
    expect(await readFile(path.join(dir, 'gate', 'submit.sh'), 'utf8')).toMatch(/--dependency=afterany:/);
  });

  it("k8s: an Indexed Job, one pod per node, valid against Kubernetes' Job schema", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-fleet-'));
    const io = capture(dir);
    expect(
      await runCli(
        [
          'fleet',
          'k8s',
          '--shards',
          '3',
          '--dir',
          path.join(dir, 'k'),
          '--image',
          'reg/ib:1',
          ...RUN.slice(0, 6),
          '--runs',
          '6',
        ],
        io,
      ),
    ).toBe(0);
    const job = JSON.parse(await readFile(path.join(dir, 'k', 'shards-job.yaml'), 'utf8')) as {
      spec: {
        completionMode: string;
        completions: number;
        template: { spec: { containers: Array<{ command: string[] }> } };
      };
    };
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 3 });
    expect(job.spec.template.spec.containers[0]?.command[2]).toMatch(/--shard "\$k\/3" --out "\$out"/);
  });

  it('refuses what cannot be sharded, exit 2 with the option and the fix', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-fleet-'));
    const cases: Array<[string[], RegExp]> = [
      [['--shards', '0', '--dir', 'x', ...RUN], /--shards 0: expected a whole number/],
      [['--shards', '2', ...RUN], /--dir is required/],
      [['--shards', '2', '--dir', 'x', ...RUN, '--out', 'o.json'], /--out: set by fleet for each shard/],
      [['--shards', '5', '--dir', 'x', ...RUN], /--shards 5 with --runs 4: some shards would hold no round/],
      [['--shards', '2', '--dir', 'x', ...RUN, '--sequential'], /--sequential cannot be sharded/],
    ];
    for (const [args, message] of cases) {
      const io = capture(dir);
      expect(await runCli(['fleet', 'slurm', ...args], io)).toBe(2);
      expect(io.lines[0]).toMatch(message);
    }
  });
});
