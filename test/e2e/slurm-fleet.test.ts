import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/results/types.js';
import { freePort } from '../../src/core/free-port.js';
import { waitFor } from '../support/e2e.js';

/**
 * `fleet slurm` on a real one-node Slurm cluster from Debian's packages (slurmctld, slurmd and
 * munge on this machine, started here; .ci/install-system-deps.sh installs them): the generated
 * job array runs the two shards of one seeded A/B plan, the dependent job merges them and gates.
 * The same scripts run unchanged on a real cluster (shared --dir, one node per shard).
 */
const BIN = path.resolve('bin/instanton-bench.js');
let dir = '';
let conf = '';
let startedMunge = false;
const env = (): NodeJS.ProcessEnv => ({ ...process.env, SLURM_CONF: conf });

async function pidOf(file: string): Promise<number | undefined> {
  const n = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ib-slurm-'));
  for (const d of ['spool', 'state', 'log']) await mkdir(path.join(dir, d));
  const host = (await execa('hostname', ['-s'])).stdout.trim();
  const memMb = Math.floor(os.totalmem() / 1024 / 1024) - 1024;
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  conf = path.join(dir, 'slurm.conf');
  await writeFile(
    conf,
    [
      'ClusterName=ibtest',
      `SlurmctldHost=${host}`,
      'SlurmUser=root',
      'SlurmdUser=root',
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${dPort}`,
      'AuthType=auth/munge',
      `StateSaveLocation=${dir}/state`,
      `SlurmdSpoolDir=${dir}/spool`,
      `SlurmctldPidFile=${dir}/slurmctld.pid`,
      `SlurmdPidFile=${dir}/slurmd.pid`,
      `SlurmctldLogFile=${dir}/log/slurmctld.log`,
      `SlurmdLogFile=${dir}/log/slurmd.log`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/none',
      'SchedulerType=sched/backfill',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'ReturnToService=2',
      'MpiDefault=none',
      `NodeName=${host} CPUs=${os.cpus().length} RealMemory=${memMb} State=UNKNOWN`,
      'PartitionName=ib Nodes=ALL Default=YES MaxTime=INFINITE State=UP',
      '',
    ].join('\n'),
  );
  // munge: the cluster's authentication; started unless one already answers.
  if ((await execa('sh', ['-c', 'munge -n | unmunge'], { reject: false })).exitCode !== 0) {
    await execa('sh', ['-c', 'mkdir -p /run/munge && chown munge:munge /run/munge']);
    await execa('runuser', ['-u', 'munge', '--', '/usr/sbin/munged']);
    startedMunge = true;
  }
  await execa('slurmctld', ['-f', conf], { env: env() });
  await execa('slurmd', ['-f', conf], { env: env() });
  await waitFor(
    async () => /idle/.test((await execa('sinfo', ['-h', '-o', '%T'], { env: env(), reject: false })).stdout),
    60_000,
    500,
  );
});

afterAll(async () => {
  if (!conf) return;
  await execa('scancel', ['--user', 'root'], { env: env(), reject: false });
  for (const f of ['slurmd.pid', 'slurmctld.pid']) {
    const pid = await pidOf(path.join(dir, f));
    if (pid) process.kill(pid, 'SIGTERM');
  }
  if (startedMunge) await execa('pkill', ['-x', 'munged'], { reject: false });
});

describe('fleet slurm on a one-node Slurm cluster', () => {
  it('runs the shards of one plan as a job array, merges them and gates in a dependent job', async () => {
    const out = path.join(dir, 'gate');
    const gen = await execa(
      'node',
      [
        BIN,
        'fleet',
        'slurm',
        '--shards',
        '2',
        '--dir',
        out,
        '--',
        '--scenario',
        'pingperf',
        '--variants',
        'afterAppStart',
        '--arm',
        'a',
        '--arm',
        'b',
        '--runs',
        '2',
        '--warmup',
        '0',
        '--seed',
        '11',
        // No host speed probe (5-20 s a probe, two a shard on the slower hosts): nothing here reads the index.
        '--no-host-speed',
      ],
      { all: true, reject: false },
    );
    expect(gen.exitCode, gen.all).toBe(0);
    const submitted = await execa('bash', [path.join(out, 'submit.sh')], { env: env(), all: true });
    expect(submitted.all).toMatch(/shards: job \d+ \(array 1-2\); merge: job \d+/);
    await waitFor(async () => (await execa('squeue', ['-h'], { env: env() })).stdout.trim() === '', 20 * 60_000, 2_000);
    const log = async (f: string) => readFile(path.join(out, 'logs', f), 'utf8').catch(() => '(no log)');
    const merged = JSON.parse(
      await readFile(path.join(out, 'merged.json'), 'utf8').catch(async () => {
        throw new Error(`no merged.json; merge log:\n${await log('merge.log')}\nshard 1:\n${await log('shard-1.log')}`);
      }),
    ) as ResultsFile;
    const measured = merged.runs.filter((r) => !r.warmup);
    expect(measured).toHaveLength(4);
    expect(measured.every((r) => r.status === 'ok' && r.restore?.verified)).toBe(true);
    expect(new Set(measured.map((r) => r.iteration))).toEqual(new Set([1, 2]));
    expect(merged.config.merged?.shards.map((s) => s.index).sort()).toEqual([1, 2]);
    expect(merged.state).toBe('complete');
    expect(await log('shard-1.log')).toMatch(/shard 1\/2 of plan [0-9a-f]{16}: rounds 1 of 2/);
    expect(await log('shard-2.log')).toMatch(/shard 2\/2 of plan [0-9a-f]{16}: rounds 2 of 2/);
    expect((await readFile(path.join(out, 'gate-exit-code'), 'utf8')).trim()).toMatch(/^[01]$/);
    expect(await readFile(path.join(out, 'compare.md'), 'utf8')).toMatch(
      /\| pingperf \| afterAppStart \| b \| readyMs \|/,
    );
  });
});
